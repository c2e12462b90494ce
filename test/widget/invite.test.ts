import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import "../../widget/invite/define";
import type { CreatedInvitations } from "../../widget/api/client";
import type { RollcallInvite } from "../../widget/invite/invite";
import { formatInstant } from "../../worker/time/format";
import { $, API, invitation, mockApi, problem, publicSession, SESSION_ID } from "./api-mock";

const CREATE = `POST /v1/sessions/${SESSION_ID}/invitations`;
const PREVIEW = `POST /v1/sessions/${SESSION_ID}/invitations/preview`;
const DISCOUNTS = "GET /v1/discount-codes";

const discountCode = (code: string, off: { percentOff?: number; amountOff?: number; currency?: string }) => ({
  id: `dsc_${code.toLowerCase()}`,
  code,
  percentOff: off.percentOff ?? null,
  amountOff: off.amountOff ?? null,
  currency: off.currency ?? null,
  validFrom: null,
  validUntil: null,
  maxUses: null,
  uses: 0,
  sessionIds: [],
  programIds: [],
  active: true,
  createdAt: "2027-05-01T10:00:00Z",
  updatedAt: "2027-05-01T10:00:00Z",
});

let api: ReturnType<typeof mockApi>;
afterEach(() => api?.restore());
/** The calls that create or preview (opening the modal also reads the discount codes). */
const sent = () => api.calls.filter((c) => c.method === "POST");

const invited = (i: number) => invitation({ id: `inv_${i}`, email: `p${i}@example.org` });

const created = (count: number, extra: Partial<CreatedInvitations> = {}): { status: number; body: CreatedInvitations } => ({
  status: 201,
  body: {
    invitations: Array.from({ length: count }, (_, i) => invited(i)),
    skipped: [],
    seats: { capacity: 20, confirmed: 5, held: count, host: 0, available: 15 - count, waitlisted: 0 },
    capacityRaisedBy: 0,
    ...extra,
  },
});

async function invite(
  routes: Parameters<typeof mockApi>[0],
  template = html`<rollcall-invite session=${SESSION_ID} token="wt_test" api=${API}></rollcall-invite>`,
) {
  api = mockApi(routes);
  return fixture<RollcallInvite>(template);
}

async function open(el: RollcallInvite) {
  $(el, ".opener button").click();
  await waitUntil(() => ($(el, "dialog") as HTMLDialogElement).open);
}

function paste(el: RollcallInvite, text: string) {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  $(el, "#recipients").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
  return el.updateComplete;
}

const chips = (el: RollcallInvite) => [...el.shadowRoot!.querySelectorAll("[part~=chip]")];
const submit = (el: RollcallInvite) => ($(el, "form") as HTMLFormElement).requestSubmit();

describe("<rollcall-invite>", () => {
  it("shows '+ Add participant' and opens a modal dialog with focus in the address field", async () => {
    const el = await invite({});
    expect($(el, ".opener button").textContent!.trim()).to.equal("+ Add participant");
    await expect(el).to.be.accessible();
    await open(el);
    expect($(el, "dialog").matches(":modal")).to.equal(true);
    expect(el.shadowRoot!.activeElement?.id).to.equal("recipients");
    await expect(el).to.be.accessible();
  });

  it("closes on Escape and gives focus back to the button", async () => {
    const el = await invite({});
    $(el, ".opener button").focus();
    await open(el);
    await sendKeys({ press: "Escape" });
    await waitUntil(() => !($(el, "dialog") as HTMLDialogElement).open, "Escape did not close the dialog");
    expect(el.shadowRoot!.activeElement).to.equal($(el, ".opener button"));
  });

  it("turns pasted addresses into chips, marks invalid ones in words too, counts against 200 and blocks Send", async () => {
    const el = await invite({ [CREATE]: created(3) });
    await open(el);
    await paste(el, "Ada Lovelace <ada@example.org>, bob@example.org; not-an-address\ncarol@example.org bob@example.org");
    const all = chips(el);
    expect(all.map((c) => c.querySelector("span:not([aria-hidden]):not(.sr-only)")!.textContent)).to.deep.equal([
      "Ada Lovelace <ada@example.org>",
      "bob@example.org",
      "not-an-address",
      "carol@example.org",
    ]);
    const invalid = el.shadowRoot!.querySelector("[part~=chip-invalid]")!;
    expect(invalid.textContent).to.contain("not a valid address");
    expect(invalid.textContent).to.contain("⚠");
    expect($(el, "[part=count]").textContent).to.equal("3 / 200");
    expect($(el, "#recipients-error").textContent).to.equal("1 address is not valid: fix or remove it.");
    expect($(el, "#recipients").getAttribute("aria-invalid")).to.equal("true");
    await expect(el).to.be.accessible();
    submit(el);
    await el.updateComplete;
    expect(sent()).to.have.length(0);
  });

  it("sends once the invalid address is removed, and fires rollcall-invited with the API's answer", async () => {
    const el = await invite({
      [CREATE]: created(2),
      [DISCOUNTS]: { body: { discountCodes: [discountCode("CAMP10", { percentOff: 10 })] } },
    });
    await open(el);
    await waitUntil(() => el.shadowRoot!.querySelector("#discount option[value=CAMP10]"), "the codes were not offered");
    await paste(el, "ada@example.org, oops, Grace Hopper <grace@example.org>");
    (chips(el)[1]!.querySelector("button.x") as HTMLButtonElement).click();
    await el.updateComplete;
    expect($(el, "#recipients-error").textContent).to.equal("");
    type(el, "#discount", "CAMP10");
    type(el, "#expires", "7");
    type(el, "#subject", "Come to camp");
    const invited = oneEvent(el, "rollcall-invited");
    submit(el);
    const { detail } = await invited;
    expect(detail.invitations).to.have.length(2);
    const call = sent()[0]!;
    expect(call.headers.authorization).to.equal("Bearer wt_test");
    expect(call.body).to.deep.equal({
      recipients: ["ada@example.org", '"Grace Hopper" <grace@example.org>'],
      holdSeat: true,
      discountCode: "CAMP10",
      send: "now",
      expiresInDays: 7,
      subject: "Come to camp",
      locale: "en",
    });
    await el.updateComplete;
    expect($(el, ".message").textContent).to.contain("2 invitations created.");
    expect(el.shadowRoot!.activeElement?.textContent).to.equal("Close");
    await expect(el).to.be.accessible();
  });

  it("names each person skipped with its reason, the first ten of many and a count of the rest", async () => {
    const skip = (email: string, position: number, reason: CreatedInvitations["skipped"][number]["reason"]) => ({
      email,
      position,
      reason,
    });
    const el = await invite({
      [CREATE]: [
        created(1, {
          skipped: [skip("bob@example.org", 2, "already_invited"), skip("carol@example.org", 3, "already_registered")],
        }),
        created(0, { skipped: Array.from({ length: 200 }, (_, i) => skip(`p${i}@example.org`, i + 1, "already_invited")) }),
      ],
    });
    await open(el);
    await paste(el, "ada@example.org bob@example.org carol@example.org");
    submit(el);
    await oneEvent(el, "rollcall-invited");
    await el.updateComplete;
    const lines = (root: ParentNode) => [...root.querySelectorAll(".message p, .message li")].map((p) => p.textContent!.trim());
    expect(lines(el.shadowRoot!)).to.deep.equal([
      "1 invitation created.",
      "2 people skipped:",
      "bob@example.org: already invited",
      "carol@example.org: already registered",
    ]);
    // Green for what was done, the people skipped in the text's own colour.
    const green = "rgb(15, 107, 58)";
    expect(getComputedStyle($(el, ".message strong")).color).to.equal(green);
    expect(getComputedStyle($(el, ".message li")).color).not.to.equal(green);
    await expect(el).to.be.accessible();
    ($(el, ".next") as HTMLButtonElement).click();
    await open(el);
    await paste(el, "p0@example.org");
    submit(el);
    await oneEvent(el, "rollcall-invited");
    await el.updateComplete;
    const many = lines(el.shadowRoot!);
    expect(many.slice(0, 3)).to.deep.equal(["No one was invited.", "200 people skipped:", "p0@example.org: already invited"]);
    expect(getComputedStyle($(el, ".message strong")).color, "nothing done is not green").not.to.equal(green);
    // Ten addresses named, then how many more.
    expect(many).to.have.length(2 + 10 + 1);
    expect(many[11]).to.equal("p9@example.org: already invited");
    expect(many.at(-1)).to.equal("…and 190 more.");

    const fr = await invite(
      { [CREATE]: created(0, { skipped: [skip("ada@example.org", 1, "already_registered"), skip("ada@example.org", 2, "duplicate")] }) },
      html`<rollcall-invite session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-invite>`,
    );
    await open(fr);
    await paste(fr, "ada@example.org");
    submit(fr);
    await oneEvent(fr, "rollcall-invited");
    await fr.updateComplete;
    expect(lines(fr.shadowRoot!)).to.deep.equal([
      "Personne n’a été invité.",
      "2 personnes ignorées\u00a0:",
      "ada@example.org\u00a0: déjà inscrite",
      "ada@example.org\u00a0: en double",
    ]);
  });

  it("keeps them as 'to send' or schedules them, and refuses a schedule in the past", async () => {
    const el = await invite({ [CREATE]: created(1) });
    await open(el);
    await paste(el, "ada@example.org");
    ($(el, "#mode-later") as HTMLInputElement).click();
    await el.updateComplete;
    expect($(el, "button[type=submit]").textContent).to.equal("Save");
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(sent()[0]!.body).to.deep.include({ send: "later" });

    const again = await invite({ [CREATE]: created(1) });
    await open(again);
    await paste(again, "ada@example.org");
    ($(again, "#mode-schedule") as HTMLInputElement).click();
    await again.updateComplete;
    type(again, "#sendAt", "2001-01-01T09:00");
    submit(again);
    await again.updateComplete;
    expect($(again, "#sendAt-error").textContent).to.equal("Pick a date and time in the future.");
    // Only the session's zone was asked for (unknown here: the browser's stands in).
    const posts = () => api.calls.filter((c) => c.method === "POST");
    expect(posts()).to.have.length(0);
    await expect(again).to.be.accessible();
    type(again, "#sendAt", "2099-07-01T09:00");
    submit(again);
    await oneEvent(again, "rollcall-invited");
    expect(posts()[0]!.body).to.deep.include({ send: "now", sendAt: new Date("2099-07-01T09:00").toISOString() });
  });

  it("takes a scheduled time in the session's zone and says when it goes", async () => {
    const el = await invite(
      { [CREATE]: created(1) },
      html`<rollcall-invite session=${SESSION_ID} token="wt_test" api=${API} time-zone="America/Toronto"></rollcall-invite>`,
    );
    await open(el);
    await paste(el, "ada@example.org");
    ($(el, "#mode-schedule") as HTMLInputElement).click();
    await el.updateComplete;
    expect($(el, "label[for=sendAt]").textContent).to.equal("Send on (America/Toronto time)");
    type(el, "#sendAt", "2099-07-01T09:00");
    await el.updateComplete;
    expect($(el, "#sendAt-when").textContent).to.equal(`Goes ${formatInstant("2099-07-01T13:00:00Z", "America/Toronto", "en")}.`);
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(sent()[0]!.body).to.deep.include({ sendAt: "2099-07-01T13:00:00.000Z" });
  });

  it("reads the session's zone from its public page when it is not given", async () => {
    const el = await invite({ [`GET /v1/public/sessions/${SESSION_ID}`]: { body: publicSession({ timeZone: "Asia/Tokyo" }) } });
    await open(el);
    ($(el, "#mode-schedule") as HTMLInputElement).click();
    await waitUntil(
      () => el.shadowRoot!.querySelector("label[for=sendAt]")?.textContent === "Send on (Asia/Tokyo time)",
      "the zone was not read",
    );
    type(el, "#sendAt", "2099-07-01T09:00");
    await el.updateComplete;
    expect($(el, "#sendAt-when").textContent).to.contain("(Asia/Tokyo)");
  });

  it("never sends on Enter in the address field, not even once its text became chips", async () => {
    const el = await invite({ [CREATE]: created(2) });
    await open(el);
    $(el, "#recipients").focus();
    await sendKeys({ type: "ada@example.org" });
    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    expect(chips(el).map((c) => c.textContent!.replace("×", "").trim())).to.deep.equal(["ada@example.org"]);
    await paste(el, "bob@example.org");
    expect(($(el, "#recipients") as HTMLInputElement).value).to.equal("");
    // The field is empty now: Enter still only stays in it.
    await sendKeys({ press: "Enter" });
    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    expect(sent()).to.have.length(0);
    expect(el.shadowRoot!.querySelector(".message")).to.equal(null);
    expect(el.shadowRoot!.activeElement?.id).to.equal("recipients");
    // Send sends.
    const invited = oneEvent(el, "rollcall-invited");
    ($(el, "button[type=submit]") as HTMLButtonElement).click();
    await invited;
    expect(sent()[0]!.body).to.deep.include({ recipients: ["ada@example.org", "bob@example.org"] });
  });

  it("never sends on Enter in the other one-line fields: the subject, the days, a box", async () => {
    const el = await invite({ [CREATE]: created(1) });
    await open(el);
    await paste(el, "ada@example.org");
    for (const id of ["#subject", "#buttonText", "#expires", "#hold"]) {
      $(el, id).focus();
      await sendKeys({ press: "Enter" });
    }
    await el.updateComplete;
    expect(sent()).to.have.length(0);
    // In the message, Enter is a new line.
    $(el, "#message").focus();
    await sendKeys({ type: "Hello" });
    await sendKeys({ press: "Enter" });
    await sendKeys({ type: "See you" });
    expect(($(el, "#message") as HTMLTextAreaElement).value).to.equal("Hello\nSee you");
    expect(sent()).to.have.length(0);
  });

  it("lets an invalid address be mended in place, where it stood", async () => {
    const el = await invite({});
    await open(el);
    await paste(el, "ada@example.org, grace@example, bob@example.org");
    const invalid = el.shadowRoot!.querySelector("[part~=chip-invalid] button.edit") as HTMLButtonElement;
    expect(invalid.title).to.equal("Edit grace@example");
    invalid.click();
    await waitUntil(() => el.shadowRoot!.activeElement?.classList.contains("chip-edit"), "no field to mend it");
    const field = el.shadowRoot!.activeElement as HTMLInputElement;
    expect(field.value).to.equal("grace@example");
    expect(field.getAttribute("aria-label")).to.equal("Edit grace@example");
    await expect(el).to.be.accessible();
    field.value = "grace@example.org";
    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    expect(chips(el).map((c) => c.textContent!.replace("×", "").trim())).to.deep.equal([
      "ada@example.org",
      "grace@example.org",
      "bob@example.org",
    ]);
    expect($(el, "#recipients-error").textContent).to.equal("");
    expect($(el, "[part=count]").textContent).to.equal("3 / 200");
    expect(($(el, "dialog") as HTMLDialogElement).open).to.equal(true);
  });

  it("counts by each language's plural rules", async () => {
    const el = await invite({
      [CREATE]: [problem(409, "capacity_full", { capacity: 20, available: 1, requested: 1 }), created(1, { capacityRaisedBy: 1 })],
    });
    await open(el);
    await paste(el, "a@example.org, x");
    expect($(el, "#recipients-error").textContent).to.equal("1 address is not valid: fix or remove it.");
    (chips(el)[1]!.querySelector("button.x") as HTMLButtonElement).click();
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector(".next"));
    expect($(el, ".change").textContent).to.equal(
      "1 invitation holds a seat and 1 is free. Inviting this person raises capacity from 20 to 20.",
    );
    ($(el, ".next") as HTMLButtonElement).click();
    await waitUntil(() => el.shadowRoot!.querySelector(".message"));
    expect($(el, ".message").textContent).to.contain("1 invitation created.");

    const fr = await invite(
      { [CREATE]: problem(409, "capacity_full", { capacity: 4, available: 0, requested: 1 }) },
      html`<rollcall-invite session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-invite>`,
    );
    await open(fr);
    await paste(fr, "a@example.org");
    submit(fr);
    await waitUntil(() => fr.shadowRoot!.querySelector(".next"));
    expect($(fr, ".change").textContent).to.equal(
      "1 invitation réserve une place et 0 est libre. Inviter cette personne fait passer la capacité de 4 à 5.",
    );
  });

  it("states the capacity change before sending beyond the free seats", async () => {
    const el = await invite({
      [CREATE]: [problem(409, "capacity_full", { capacity: 20, available: 0, requested: 3 }), created(3, { capacityRaisedBy: 3 })],
    });
    await open(el);
    await paste(el, "a@example.org b@example.org c@example.org");
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector(".next"));
    expect($(el, ".change").textContent).to.equal("3 invitations hold a seat and 0 are free. Inviting them raises capacity from 20 to 23.");
    expect(el.shadowRoot!.activeElement?.textContent).to.equal("Raise capacity and send");
    await expect(el).to.be.accessible();
    const invited = oneEvent(el, "rollcall-invited");
    ($(el, ".next") as HTMLButtonElement).click();
    expect((await invited).detail.capacityRaisedBy).to.equal(3);
    expect(sent()[1]!.body).to.deep.include({ allowOverCapacity: true });
    expect(sent()[0]!.body).to.not.have.property("allowOverCapacity");
    await el.updateComplete;
    expect($(el, ".message").textContent).to.contain("Capacity raised by 3.");
  });

  it("asks to raise capacity and save when the invitations are kept to send", async () => {
    const el = await invite({ [CREATE]: [problem(409, "capacity_full", { capacity: 20, available: 0, requested: 1 }), created(1)] });
    await open(el);
    await paste(el, "a@example.org");
    ($(el, "#mode-later") as HTMLInputElement).click();
    submit(el);
    await waitUntil(() => el.shadowRoot!.querySelector(".next"));
    expect($(el, ".change").textContent).to.equal(
      "1 invitation holds a seat and 0 are free. Inviting this person raises capacity from 20 to 21.",
    );
    expect($(el, ".next").textContent).to.equal("Raise capacity and save");
    ($(el, ".next") as HTMLButtonElement).click();
    await waitUntil(() => sent().length === 2);
    expect(sent()[1]!.body).to.deep.include({ send: "later", allowOverCapacity: true });
  });

  it("marks the addresses the API finds invalid", async () => {
    const el = await invite({
      [CREATE]: problem(422, "invalid_emails", { errors: [{ entry: "b@example.con", position: 2, problem: "bad_domain" }] }),
    });
    await open(el);
    await paste(el, "a@example.org b@example.con");
    const failed = oneEvent(el, "rollcall-error");
    submit(el);
    expect((await failed).detail.code).to.equal("invalid_emails");
    await el.updateComplete;
    expect(chips(el)[1]!.getAttribute("part")).to.equal("chip chip-invalid");
    expect($(el, "#recipients-error").textContent).to.equal("1 address is not valid: fix or remove it.");
  });

  it("previews the email in a sandboxed frame, following the subject as it is typed", async () => {
    const el = await invite({
      [PREVIEW]: (call) => ({
        body: { subject: (call.body as { subject?: string }).subject ?? "You are invited", html: "<p>Hello</p>", text: "Hello" },
      }),
    });
    await open(el);
    const details = $(el, "details") as HTMLDetailsElement;
    details.open = true;
    await waitUntil(() => el.shadowRoot!.querySelector("iframe"), "no preview");
    const frame = $(el, "iframe") as HTMLIFrameElement;
    expect(frame.getAttribute("sandbox")).to.equal("");
    expect(frame.srcdoc).to.equal("<p>Hello</p>");
    type(el, "#subject", "Summer camp");
    await waitUntil(() => $(el, "details strong").textContent === "Summer camp", "the preview did not follow");
    expect(api.calls.at(-1)!.body).to.deep.include({ subject: "Summer camp", locale: "en" });
    await expect(el).to.be.accessible();
  });

  it("can require the invited address to accept, a checkbox off by default", async () => {
    const el = await invite({ [CREATE]: [created(1), created(1)] });
    await open(el);
    const box = $(el, "#requireEmailMatch") as HTMLInputElement;
    expect(box.checked).to.equal(false);
    expect(el.shadowRoot!.querySelector("label[for=requireEmailMatch]")!.textContent).to.equal("Only the invited address can accept");
    await paste(el, "ada@example.org");
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(sent()[0]!.body).to.not.have.property("requireEmailMatch");
    ($(el, ".next") as HTMLButtonElement).click();
    await open(el);
    await paste(el, "grace@example.org");
    ($(el, "#requireEmailMatch") as HTMLInputElement).click();
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(sent()[1]!.body).to.deep.include({ recipients: ["grace@example.org"], requireEmailMatch: true });
    await expect(el).to.be.accessible();
  });

  it("asks the preview with the very body that creates the invitations", async () => {
    const el = await invite({
      [PREVIEW]: { body: { subject: "You are invited", html: "<p>Hello</p>", text: "Hello" } },
      [CREATE]: created(1),
    });
    await open(el);
    await paste(el, "Ada Lovelace <ada@example.org>");
    type(el, "#subject", "Summer camp");
    ($(el, "#mode-schedule") as HTMLInputElement).click();
    await el.updateComplete;
    type(el, "#sendAt", "2099-07-01T09:00");
    ($(el, "details") as HTMLDetailsElement).open = true;
    await waitUntil(() => el.shadowRoot!.querySelector("iframe"), "no preview");
    const previewed = api.calls.filter((c) => c.path.endsWith("/preview")).at(-1)!.body;
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(previewed).to.deep.equal(api.calls.at(-1)!.body);
    expect(previewed).to.deep.include({ recipients: ['"Ada Lovelace" <ada@example.org>'], send: "now", subject: "Summer camp" });
  });

  it("gets its token from token-url and fetches a new one a minute before it expires", async () => {
    let n = 0;
    api = mockApi({
      "GET /backend/rollcall-token": () => ({
        body: { token: `wt_${++n}`, expiresAt: new Date(Date.now() + (n === 1 ? 30_000 : 3_600_000)).toISOString() },
      }),
      [CREATE]: created(1),
    });
    const el = await fixture<RollcallInvite>(
      html`<rollcall-invite session=${SESSION_ID} token-url="/backend/rollcall-token" api=${API} trust-api></rollcall-invite>`,
    );
    await open(el);
    for (let i = 0; i < 3; i++) {
      await paste(el, `p${i}@example.org`);
      submit(el);
      await oneEvent(el, "rollcall-invited");
      ($(el, ".next") as HTMLButtonElement).click();
      await waitUntil(() => !($(el, "dialog") as HTMLDialogElement).open);
      await open(el);
    }
    const auth = api.calls.filter((c) => c.method === "POST").map((c) => c.headers.authorization);
    // The first token expires within a minute: the next call fetches another; that one is kept.
    expect(auth).to.deep.equal(["Bearer wt_1", "Bearer wt_2", "Bearer wt_2"]);
    expect(n).to.equal(2);
  });

  it("never sends a token from token-url to an api on another origin, and says why", async () => {
    const el = await invite(
      {
        "GET /backend/rollcall-token": { body: { token: "wt_1", expiresAt: new Date(Date.now() + 3_600_000).toISOString() } },
        [CREATE]: created(1),
      },
      html`<rollcall-invite session=${SESSION_ID} token-url="/backend/rollcall-token" api="https://attacker.example"></rollcall-invite>`,
    );
    await open(el);
    await paste(el, "ada@example.org");
    const refused = oneEvent(el, "rollcall-error");
    submit(el);
    expect((await refused).detail.code).to.equal("untrusted_api");
    await waitUntil(() => $(el, "p[part=error]").textContent, "no error shown");
    expect($(el, "p[part=error]").textContent).to.contain("its token was not sent");
    expect(api.calls).to.deep.equal([]);
  });

  it("offers the codes an invitation to the session may name (seed 000), and sends none unless one is chosen", async () => {
    const codes = [discountCode("EARLY10", { percentOff: 10 }), discountCode("SUMMER", { amountOff: 500, currency: "EUR" })];
    const el = await invite({ [CREATE]: [created(1), created(1)], [DISCOUNTS]: { body: { discountCodes: codes } } });
    await open(el);
    await waitUntil(() => el.shadowRoot!.querySelector("#discount option[value=SUMMER]"), "the codes were not offered");
    expect(api.calls.find((c) => c.method === "GET")!.path).to.equal(`/v1/discount-codes?sessionId=${SESSION_ID}`);
    expect(
      [...el.shadowRoot!.querySelectorAll("#discount option")].map((o) => [(o as HTMLOptionElement).value, o.textContent]),
    ).to.deep.equal([
      ["", "No discount"],
      ["EARLY10", "EARLY10 (10% off)"],
      ["SUMMER", "SUMMER (€5.00 off)"],
    ]);
    expect(el.shadowRoot!.querySelector("label[for=discount]")!.textContent).to.equal("Discount code");
    await expect(el).to.be.accessible();
    await paste(el, "ada@example.org");
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(sent()[0]!.body).to.not.have.property("discountCode");
    ($(el, ".next") as HTMLButtonElement).click();
    await open(el);
    await paste(el, "grace@example.org");
    type(el, "#discount", "SUMMER");
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(sent()[1]!.body).to.deep.include({ discountCode: "SUMMER" });
    // The codes are read once, not at every opening.
    expect(api.calls.filter((c) => c.method === "GET")).to.have.length(1);
  });

  it("says why the API refused the chosen code", async () => {
    const el = await invite({
      [CREATE]: problem(422, "discount_expired"),
      [DISCOUNTS]: { body: { discountCodes: [discountCode("EARLY10", { percentOff: 10 })] } },
    });
    await open(el);
    await waitUntil(() => el.shadowRoot!.querySelector("#discount option[value=EARLY10]"));
    await paste(el, "ada@example.org");
    type(el, "#discount", "EARLY10");
    const failed = oneEvent(el, "rollcall-error");
    submit(el);
    expect((await failed).detail.code).to.equal("discount_expired");
    await waitUntil(() => $(el, "p[part=error]").textContent);
    expect($(el, "p[part=error]").textContent).to.equal("This discount code is not valid at this time.");
  });

  it("names the codes in French with locale=fr", async () => {
    const codes = [discountCode("EARLY10", { percentOff: 10 }), discountCode("SUMMER", { amountOff: 500, currency: "EUR" })];
    const el = await invite(
      { [DISCOUNTS]: { body: { discountCodes: codes } } },
      html`<rollcall-invite session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-invite>`,
    );
    await open(el);
    await waitUntil(() => el.shadowRoot!.querySelector("#discount option[value=SUMMER]"));
    expect([...el.shadowRoot!.querySelectorAll("#discount option")].map((o) => o.textContent!.replace(/\s/g, " "))).to.deep.equal([
      "Aucune réduction",
      "EARLY10 (−10 %)",
      "SUMMER (−5,00 €)",
    ]);
  });

  it("asks the invitations' language, the dialog's by default, invitation-locale's when given, and sends the one chosen", async () => {
    const language = async (el: RollcallInvite) => {
      await open(el);
      const select = $(el, "#language") as HTMLSelectElement;
      expect($(el, "label[for=language]").textContent).to.contain("Language of the invitation");
      expect([...select.options].map((o) => `${o.value} ${o.textContent}`)).to.deep.equal(["en English", "fr Français"]);
      return select;
    };
    const plain = await invite({ [CREATE]: created(1) });
    expect((await language(plain)).value).to.equal("en");
    api.restore();

    const el = await invite(
      { [CREATE]: created(1), [PREVIEW]: { body: { subject: "Invitation", html: "<p>Bonjour</p>", text: "Bonjour" } } },
      html`<rollcall-invite session=${SESSION_ID} token="wt_test" api=${API} invitation-locale="fr"></rollcall-invite>`,
    );
    const select = await language(el);
    expect(select.value).to.equal("fr");
    await expect(el).to.be.accessible();
    await paste(el, "ada@example.org");
    ($(el, "details") as HTMLDetailsElement).open = true;
    await waitUntil(() => el.shadowRoot!.querySelector("iframe"), "no preview");
    expect(api.calls.filter((c) => c.path.endsWith("/preview")).at(-1)!.body).to.deep.include({ locale: "fr" });
    type(el, "#language", "en");
    submit(el);
    await oneEvent(el, "rollcall-invited");
    expect(sent().at(-1)!.body).to.deep.include({ recipients: ["ada@example.org"], locale: "en" });
  });

  it("speaks French with locale=fr", async () => {
    const el = await invite({}, html`<rollcall-invite session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-invite>`);
    expect($(el, ".opener button").textContent!.trim()).to.equal("+ Ajouter un participant");
    await open(el);
    expect($(el, "h2").textContent).to.equal("Ajouter des participants");
    await paste(el, "x");
    expect($(el, "#recipients-error").textContent).to.equal("1 adresse n’est pas valide : corrigez-la ou retirez-la.");
  });
});

function type(el: RollcallInvite, selector: string, value: string) {
  const input = $(el, selector) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
}
