import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from "@open-wc/testing";
import "../../widget/roster/define";
import type { Body, Roster } from "../../widget/api/client";
import { type RollcallRoster, UNDO_MS } from "../../widget/roster/roster";
import { RollcallElement } from "../../widget/shared/element";
import type { RosterGroup } from "../../worker/roster/groups";
import { formatInstant } from "../../worker/time/format";
import { $, API, invitation, mockApi, openSockets, problem, publicSession, SESSION_ID, text } from "./api-mock";
import { FakeTimers } from "./fake-timers";

const ROSTER = `GET /v1/sessions/${SESSION_ID}/roster`;

let api: ReturnType<typeof mockApi>;
afterEach(() => api?.restore());

type Row = Roster["rows"][number];

function row(group: RosterGroup, kind: Row["kind"], id: string, name: string, status: Row["status"], extra: Partial<Row> = {}): Row {
  return {
    answers: null,
    formVersion: null,
    discountCode: null,
    payment: null,
    group,
    kind,
    id,
    name,
    email: `${name.split(" ")[0]!.toLowerCase()}@example.org`,
    status,
    waitlistPosition: null,
    source: kind === "registration" ? "public" : "invitation_holding_seat",
    delivery: null,
    invitedEmail: null,
    flags: [],
    createdAt: "2027-05-01T10:00:00Z",
    cancelledAt: null,
    sendAt: null,
    contactId: null,
    channel: null,
    smsFallback: null,
    ...extra,
  };
}

function roster(
  rows = ROWS,
  seats: Partial<Roster["session"]["seats"]> = {},
  mail: Roster["mail"] = { waiting: 0, failed: 0 },
  decision: Roster["session"]["minimum"]["decision"] = "pending",
  money: Pick<Roster, "payments"> = { payments: [] },
): { body: Roster } {
  const { seats: _, registrationCodeRequired: __, moreNeeded: ___, ...session } = publicSession();
  return {
    body: {
      formVersions: [],
      session: {
        ...session,
        minParticipants: 6,
        maxParticipants: 20,
        hostCountsAsParticipant: false,
        listed: true,
        tags: [],
        onlineUrl: null,
        registrationCode: null,
        seats: { capacity: 20, confirmed: 2, held: 2, host: 0, available: 16, waitlisted: 1, ...seats },
        capacityChanges: [],
        decisionAt: null,
        belowMinimum: "cancel",
        minimum: { decisionAt: "2027-07-03T07:00:00Z", decision, askedAt: null, decidedAt: null, decidedBy: null, moreNeeded: 0 },
        createdAt: "2027-04-01T10:00:00Z",
        updatedAt: "2027-04-01T10:00:00Z",
        cancelledAt: null,
        hostMemberId: null,
      },
      rows,
      mail,
      payments: money.payments,
    },
  };
}

const ROWS = [
  row("confirmed", "registration", "reg_1", "Ada Lovelace", "confirmed"),
  row("confirmed", "registration", "reg_2", "Alan Turing", "confirmed", {
    flags: ["email_mismatch"],
    invitedEmail: "turing@example.org",
    source: "invitation",
  }),
  row("waitlist", "registration", "reg_3", "Grace Hopper", "waitlisted", { waitlistPosition: 1 }),
  row("invitations_sent", "invitation", "inv_1", "Edsger Dijkstra", "sent", { flags: ["bounced"], delivery: "bounced" }),
  row("invitations_to_send", "invitation", "inv_2", "Barbara Liskov", "draft"),
  row("closed", "invitation", "inv_3", "Donald Knuth", "declined"),
];

async function mount(
  routes: Parameters<typeof mockApi>[0],
  template = html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API}></rollcall-roster>`,
) {
  api = mockApi(routes);
  const el = await fixture<RollcallRoster>(template);
  await waitUntil(() => el.shadowRoot!.querySelector("[part=title]"), "the roster never showed");
  return el;
}

const section = (el: RollcallRoster, heading: string) =>
  [...el.shadowRoot!.querySelectorAll("section")].find((s) => s.querySelector("h3")!.textContent!.startsWith(heading))!;

const buttonIn = (scope: ParentNode, label: string) =>
  [...scope.querySelectorAll("button")].find((b) => b.textContent!.trim() === label) as HTMLButtonElement;

const rosterCalls = () => api.calls.filter((c) => c.path.endsWith("/roster")).length;

describe("<rollcall-roster>", () => {
  it("sums up the seats and the distance to the minimum, and groups everyone", async () => {
    const el = await mount({ [ROSTER]: roster() });
    expect($(el, "[part=summary]").textContent).to.equal(
      "4 of 20 seats taken · 2 held by invitations · 16 available · 1 on the waitlist · 4 more to reach the minimum of 6",
    );
    const headings = [...el.shadowRoot!.querySelectorAll("h3")].map((h) => h.textContent);
    expect(headings).to.deep.equal([
      "Confirmed (2)",
      "Waitlist (1)",
      "Invitations sent (1)",
      "Invitations to send (1)",
      "Expired / declined / cancelled (1)",
    ]);
    expect(section(el, "Waitlist").textContent).to.contain("waitlisted #1");
    expect(section(el, "Confirmed").querySelector("[part=flag]")!.textContent).to.equal(
      "Registered with another email (turing@example.org)",
    );
    expect(section(el, "Invitations sent").querySelector("[part=flag]")!.textContent).to.equal("Email bounced");
    expect(api.calls[0]!.headers.authorization).to.equal("Bearer wt_test");
    await expect(el).to.be.accessible();
  });

  it("puts the session's title and the groups' headings at the page's level with heading-level", async () => {
    const el = await mount(
      { [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} heading-level="1"></rollcall-roster>`,
    );
    expect($(el, "[part=title]").getAttribute("aria-level")).to.equal("1");
    const levels = [...el.shadowRoot!.querySelectorAll("section > h3")].map((h) => h.getAttribute("aria-level"));
    expect(levels).to.have.length(5);
    expect(new Set(levels)).to.deep.equal(new Set(["2"]));
  });

  it("shows each registration's answers under its name, as question: answer in the roster's language, never as markup", async () => {
    const versions = [
      {
        version: 1,
        fields: [
          { key: "old", type: "text" as const, label: { en: "Old question", fr: "Ancienne question" }, help: null, required: false },
        ],
      },
      {
        version: 2,
        fields: [
          {
            key: "diet",
            type: "choice" as const,
            label: { en: "Diet", fr: "Régime" },
            help: null,
            required: true,
            choices: [{ value: "veg", label: { en: "Vegetarian", fr: "Végétarien" } }],
          },
          { key: "note", type: "text" as const, label: { en: "Note", fr: "Remarque" }, help: null, required: false },
          { key: "ok", type: "checkbox" as const, label: { en: "I agree", fr: "J’accepte" }, help: null, required: true },
        ],
      },
    ];
    const rows = [
      row("confirmed", "registration", "reg_1", "Ada Lovelace", "confirmed", {
        answers: { diet: "veg", note: "<b>hi</b>", ok: true },
        formVersion: 2,
      }),
      row("confirmed", "registration", "reg_2", "Alan Turing", "confirmed", { answers: { old: "kept" }, formVersion: 1 }),
      row("confirmed", "registration", "reg_3", "Grace Hopper", "confirmed"),
    ];
    const answered = (el: RollcallRoster) => [...el.shadowRoot!.querySelectorAll("[part=answers]")].map((p) => p.textContent!.trim());
    const body = { ...roster(rows).body, formVersions: versions };
    const el = await mount({ [ROSTER]: { body } });
    expect(answered(el)).to.deep.equal(["Diet: Vegetarian · Note: <b>hi</b> · I agree: Yes", "Old question: kept"]);
    expect(el.shadowRoot!.querySelector("[part=answers] b")).to.equal(null);
    await expect(el).to.be.accessible();
    api.restore();
    const fr = await mount(
      { [ROSTER]: { body } },
      html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} locale="fr"></rollcall-roster>`,
    );
    expect(answered(fr)[0]).to.equal("Régime : Végétarien · Remarque : <b>hi</b> · J’accepte : Oui");
  });

  it("links a name to its contact's page when the page gives contact-link, and only then", async () => {
    const rows = [
      row("confirmed", "registration", "reg_1", "Ada Lovelace", "confirmed", { contactId: "con_ada" }),
      row("confirmed", "registration", "reg_2", "Alan Turing", "confirmed"),
      row("closed", "registration", "reg_4", "", "cancelled", { contactId: null, flags: ["erased"], email: "" }),
    ];
    const plain = await mount({ [ROSTER]: roster(rows) });
    expect(plain.shadowRoot!.querySelectorAll("td.name a")).to.have.length(0);
    api.restore();
    const admin = await mount(
      { [ROSTER]: roster(rows) },
      html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} contact-link="/admin/contacts/{id}"></rollcall-roster>`,
    );
    const links = [...admin.shadowRoot!.querySelectorAll<HTMLAnchorElement>("td.name a")];
    expect(links.map((a) => [a.textContent, a.getAttribute("href")])).to.deep.equal([
      ["Ada Lovelace", new URL("/admin/contacts/con_ada", document.baseURI).href],
    ]);
    await expect(admin).to.be.accessible();
    api.restore();
    const hostile = await mount(
      { [ROSTER]: roster(rows) },
      html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} contact-link="javascript:alert('{id}')"></rollcall-roster>`,
    );
    expect(hostile.shadowRoot!.querySelectorAll("td.name a")).to.have.length(0);
  });

  it("notes how an invitation to a person who chose SMS went: by SMS, or by email and why, in English and French", async () => {
    const rows = [
      row("invitations_sent", "invitation", "inv_1", "Sam Text", "sent", { channel: "sms" }),
      row("invitations_sent", "invitation", "inv_2", "Noa Phone", "sent", { channel: "email", smsFallback: "no_phone" }),
      row("invitations_sent", "invitation", "inv_3", "Ina Wrong", "sent", { channel: "email", smsFallback: "invalid_phone" }),
      row("invitations_sent", "invitation", "inv_4", "Sto Stop", "sent", { channel: "email", smsFallback: "opted_out" }),
      row("invitations_sent", "invitation", "inv_5", "Eve Mail", "sent"),
    ];
    const notes = (el: HTMLElement) =>
      [...el.shadowRoot!.querySelectorAll("tbody tr")].map((tr) => tr.querySelector(".channel")?.textContent ?? null);
    const el = await mount({ [ROSTER]: roster(rows) });
    expect(notes(el)).to.deep.equal([
      "Sent by SMS",
      "SMS preferred, sent by email: no phone number",
      "SMS preferred, sent by email: invalid phone number",
      "SMS preferred, sent by email: replied STOP",
      null,
    ]);
    await expect(el).to.be.accessible();
    api.restore();
    const fr = await mount(
      { [ROSTER]: roster(rows) },
      html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-roster>`,
    );
    expect(notes(fr)).to.deep.equal([
      "Envoyée par SMS",
      "SMS préféré, envoyée par e-mail : pas de numéro de téléphone",
      "SMS préféré, envoyée par e-mail : numéro de téléphone invalide",
      "SMS préféré, envoyée par e-mail : a répondu STOP",
      null,
    ]);
  });

  it("shows the discount code a registration took or an invitation offers, in English and French", async () => {
    const rows = [
      row("confirmed", "registration", "reg_1", "Ada Lovelace", "confirmed", { discountCode: "EARLY10" }),
      row("invitations_sent", "invitation", "inv_1", "Alan Turing", "sent", { discountCode: "SCHOLAR" }),
      row("invitations_sent", "invitation", "inv_2", "Grace Hopper", "sent"),
    ];
    const notes = (el: HTMLElement) =>
      [...el.shadowRoot!.querySelectorAll("tbody tr .status")].map(
        (td) => [...td.querySelectorAll(".flag.note")].map((f) => f.textContent).join("") || null,
      );
    const el = await mount({ [ROSTER]: roster(rows) });
    expect(notes(el)).to.deep.equal(["Discount EARLY10", "Discount SCHOLAR", null]);
    await expect(el).to.be.accessible();
    api.restore();
    const fr = await mount(
      { [ROSTER]: roster(rows) },
      html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-roster>`,
    );
    expect(notes(fr)).to.deep.equal(["Réduction EARLY10", "Réduction SCHOLAR", null]);
  });

  it("marks each registration's money with its amount, in English and French, the mark and the amount read together", async () => {
    const payment = (status: NonNullable<Row["payment"]>["status"], extra: Partial<NonNullable<Row["payment"]>> = {}) => ({
      amountDue: 2250,
      price: 2500,
      currency: "EUR",
      status,
      paidAt: status === "pending" || status === "unpaid" ? null : "2027-05-01T10:00:00Z",
      refundDueAt: null,
      refundedAt: null,
      refundedAmount: null,
      ...extra,
    });
    const rows = [
      row("confirmed", "registration", "reg_1", "Ada Lovelace", "confirmed", { payment: payment("paid") }),
      row("closed", "registration", "reg_2", "Alan Turing", "cancelled", { payment: payment("refund_due") }),
      row("closed", "registration", "reg_3", "Grace Hopper", "cancelled", {
        payment: payment("refunded", { refundedAt: "2027-05-02T10:00:00Z", refundedAmount: 2000 }),
      }),
      row("waitlist", "registration", "reg_4", "Edsger Dijkstra", "pending_payment", { payment: payment("pending") }),
      row("closed", "registration", "reg_5", "Barbara Liskov", "cancelled", { payment: payment("unpaid") }),
      // On the waitlist of a priced session: owed later, not now.
      row("waitlist", "registration", "reg_6", "Donald Knuth", "waitlisted", { payment: payment("pending") }),
      row("confirmed", "registration", "reg_7", "Ken Thompson", "confirmed", {
        payment: payment("paid", { amountDue: 1500, currency: "JPY" }),
      }),
    ];
    const notes = (el: HTMLElement) =>
      [...el.shadowRoot!.querySelectorAll("tbody tr .status")].map(
        (td) => [...td.querySelectorAll(".flag.note")].map((f) => f.textContent).join("") || null,
      );
    const el = await mount({ [ROSTER]: roster(rows) });
    expect(notes(el)).to.have.members([
      "Paid €22.50",
      "Refund due €22.50",
      "Refunded €20.00",
      "Awaiting payment €22.50",
      "Unpaid",
      null,
      "Paid ¥1,500",
    ]);
    await expect(el).to.be.accessible();
    api.restore();
    const fr = await mount(
      { [ROSTER]: roster(rows) },
      html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-roster>`,
    );
    // Intl's French puts a no-break space (narrow for thousands) before the currency.
    expect(notes(fr).map((n) => (n === null ? null : n.replace(/[\u00a0\u202f]/g, " ")))).to.have.members([
      "Payée 22,50 €",
      "À rembourser 22,50 €",
      "Remboursée 20,00 €",
      "Paiement attendu 22,50 €",
      "Non payée",
      null,
      "Payée 1 500 JPY",
    ]);
  });

  it("shows a registration's discount code beside its paid amount", async () => {
    const rows = [
      row("confirmed", "registration", "reg_1", "Ada Lovelace", "confirmed", {
        discountCode: "EARLY10",
        payment: {
          amountDue: 2250,
          price: 2500,
          currency: "EUR",
          status: "paid",
          paidAt: "2027-05-01T10:00:00Z",
          refundDueAt: null,
          refundedAt: null,
          refundedAmount: null,
        },
      }),
    ];
    const el = await mount({ [ROSTER]: roster(rows) });
    const marks = [...el.shadowRoot!.querySelectorAll("tbody tr .status .flag.note")].map((f) => f.textContent);
    expect(marks).to.deep.equal(["Discount EARLY10", "Paid €22.50"]);
  });

  it("says the session's price and what was paid so far in its summary, in English and French", async () => {
    const priced = (locale: string) => {
      api?.restore();
      const r = roster([], {}, undefined, "pending", { payments: [{ currency: "EUR", paid: 4750, refunded: 2500, net: 2250 }] });
      r.body.session.price = { amount: 2500, currency: "EUR" };
      return mount({ [ROSTER]: r }, html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale=${locale}></rollcall-roster>`);
    };
    const summary = $(await priced("en"), "[part=summary]").textContent!;
    expect(summary).to.contain("Price: €25.00");
    expect(summary).to.contain("Paid so far: €22.50");
    const fr = $(await priced("fr"), "[part=summary]").textContent!.replace(/[\u00a0\u202f]/g, " ");
    expect(fr).to.contain("Prix : 25,00 €");
    expect(fr).to.contain("Payé à ce jour : 22,50 €");
    // A free session says neither.
    api.restore();
    const free = $(await mount({ [ROSTER]: roster() }), "[part=summary]").textContent!;
    expect(free).not.to.contain("Price");
    expect(free).not.to.contain("Paid so far");
  });

  it("marks the session's host on the roster, in English and French", async () => {
    const rows = [
      row("confirmed", "registration", "reg_1", "mentor", "confirmed", { source: "host", flags: ["host"] }),
      row("confirmed", "registration", "reg_2", "Ada Lovelace", "confirmed"),
    ];
    const notes = (el: HTMLElement) =>
      [...el.shadowRoot!.querySelectorAll("tbody tr .status")].map(
        (td) => [...td.querySelectorAll(".flag.note")].map((f) => f.textContent).join("") || null,
      );
    const el = await mount({ [ROSTER]: roster(rows) });
    expect(notes(el)).to.deep.equal(["Host", null]);
    await expect(el).to.be.accessible();
    api.restore();
    const fr = await mount(
      { [ROSTER]: roster(rows) },
      html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-roster>`,
    );
    expect(notes(fr)).to.deep.equal(["Hôte", null]);
  });

  it("says in one line how many emails are stuck or could not be sent, and nothing when none", async () => {
    const el = await mount({ [ROSTER]: roster(ROWS, {}, { waiting: 12, failed: 1 }) });
    expect($(el, "[part=mail]").textContent).to.equal("12 emails waiting to be sent · 1 email could not be sent");
    await expect(el).to.be.accessible();
    const quiet = await mount({ [ROSTER]: roster() });
    expect(quiet.shadowRoot!.querySelector("[part=mail]")).to.equal(null);
    const fr = await mount(
      { [ROSTER]: roster(ROWS, {}, { waiting: 1, failed: 3 }) },
      html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-roster>`,
    );
    expect($(fr, "[part=mail]").textContent).to.equal("1 e-mail en attente d’envoi · 3 e-mails n’ont pas pu être envoyés");
  });

  it("says what was decided about the minimum, and nothing before the decision", async () => {
    const summary = async (decision: "asked" | "run" | "cancelled", locale = "en") => {
      api?.restore();
      const el = await mount(
        { [ROSTER]: roster(ROWS, {}, undefined, decision) },
        html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} locale=${locale}></rollcall-roster>`,
      );
      return $(el, "[part=summary]").textContent;
    };
    expect(await summary("asked")).to.contain("Below the minimum: members asked");
    expect(await summary("run")).to.contain("Runs: minimum decided");
    expect(await summary("cancelled")).to.contain("Cancelled: too few participants");
    expect(await summary("cancelled", "fr")).to.contain("Annulée : trop peu de participants");
  });

  it("says when the minimum is reached, and keeps Confirmed even when empty", async () => {
    const el = await mount({ [ROSTER]: roster([], { confirmed: 6, held: 0, available: 14, waitlisted: 0 }) });
    expect($(el, "[part=summary]").textContent).to.contain("Minimum of 6 reached");
    expect(section(el, "Confirmed").textContent).to.contain("No one yet.");
    expect(el.shadowRoot!.querySelectorAll("section")).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it("offers the actions each row allows; Send and Resend go at once, refresh and say so with an event", async () => {
    const el = await mount({
      [ROSTER]: roster(),
      "POST /v1/invitations/inv_1/resend": { body: { id: "inv_1", status: "sent" } },
      "POST /v1/invitations/inv_2/send": { body: { id: "inv_2", status: "sent" } },
    });
    expect(buttonIn(section(el, "Expired"), "Remove")).to.equal(undefined);
    expect(buttonIn(section(el, "Waitlist"), "Remove").getAttribute("aria-label")).to.equal("Remove · Grace Hopper");
    expect(buttonIn(section(el, "Invitations sent"), "Cancel").getAttribute("aria-label")).to.equal("Cancel · Edsger Dijkstra");
    const cases: [string, string, string, string, string][] = [
      [
        "Invitations sent",
        "Resend",
        "/v1/invitations/inv_1/resend",
        "rollcall-invitation-resent",
        "Invitation sent again to Edsger Dijkstra.",
      ],
      ["Invitations to send", "Send", "/v1/invitations/inv_2/send", "rollcall-invitation-sent", "Invitation sent to Barbara Liskov."],
    ];
    for (const [group, label, path, event, said] of cases) {
      const before = rosterCalls();
      const fired = oneEvent(el, event as "rollcall-invitation-sent");
      buttonIn(section(el, group), label).click();
      expect((await fired).detail.invitation).to.deep.include({ status: "sent" });
      await waitUntil(() => rosterCalls() === before + 1, `${label} did not refresh`);
      const action = api.calls.at(-2)!;
      expect([action.method, action.path]).to.deep.equal(["POST", path]);
      expect(action.headers.authorization).to.equal("Bearer wt_test");
      await el.updateComplete;
      expect($(el, ".toasts").textContent!.trim()).to.equal(said);
    }
  });

  describe("removing and cancelling", () => {
    let clock: FakeTimers;
    beforeEach(() => {
      clock = new FakeTimers();
      RollcallElement.timers = clock;
    });
    afterEach(() => {
      RollcallElement.timers = globalThis;
    });

    const dialog = (el: RollcallRoster) => $(el, "dialog.confirm") as HTMLDialogElement;
    const removals = () => api.calls.filter((c) => c.method === "POST");

    async function confirmRemoval(el: RollcallRoster, group = "Confirmed", label = "Remove", yes = "Remove") {
      buttonIn(section(el, group), label).click();
      await waitUntil(() => dialog(el).open, "no dialog");
      buttonIn(dialog(el), yes).click();
      await el.updateComplete;
    }

    it("asks first, naming the person, then waits a few seconds with an Undo before removing", async () => {
      const el = await mount({ [ROSTER]: roster(), "POST /v1/registrations/reg_1/cancel": { body: { id: "reg_1", status: "cancelled" } } });
      buttonIn(section(el, "Confirmed"), "Remove").click();
      await waitUntil(() => dialog(el).open, "no dialog");
      expect(dialog(el).matches(":modal")).to.equal(true);
      expect($(el, "#confirm-title").textContent).to.equal("Remove Ada Lovelace?");
      expect($(el, "#confirm-body").textContent).to.equal("Ada Lovelace will be told by email, and their seat freed for the next person.");
      expect(el.shadowRoot!.activeElement!.textContent).to.equal("Keep");
      await expect(el).to.be.accessible();
      const removed = oneEvent(el, "rollcall-removed");
      buttonIn(dialog(el), "Remove").click();
      await el.updateComplete;
      expect(dialog(el).open).to.equal(false);
      expect($(el, ".toast").textContent!.replace(/\s+/g, " ").trim()).to.equal("Removing Ada Lovelace… Undo");
      expect(el.shadowRoot!.activeElement!.getAttribute("aria-label")).to.equal("Undo · Ada Lovelace");
      expect(buttonIn(section(el, "Confirmed"), "Remove").disabled).to.equal(true);
      clock.tick(UNDO_MS - 1);
      expect(removals()).to.have.length(0);
      clock.tick(1);
      expect((await removed).detail.registration).to.deep.equal({ id: "reg_1", status: "cancelled" });
      expect(removals().map((c) => c.path)).to.deep.equal(["/v1/registrations/reg_1/cancel"]);
      await waitUntil(() => $(el, ".toasts").textContent!.trim() === "Ada Lovelace removed.", "not said");
      await expect(el).to.be.accessible();
    });

    it("sends nothing when undone, or when the dialog is answered Keep", async () => {
      const el = await mount({ [ROSTER]: roster(), "POST /v1/registrations/reg_1/cancel": { body: {} } });
      buttonIn(section(el, "Confirmed"), "Remove").click();
      await waitUntil(() => dialog(el).open);
      buttonIn(dialog(el), "Keep").click();
      expect(dialog(el).open).to.equal(false);
      await confirmRemoval(el);
      const undone = oneEvent(el, "rollcall-undone");
      ($(el, ".toast button") as HTMLButtonElement).click();
      expect((await undone).detail).to.deep.equal({ action: "remove", id: "reg_1" });
      await el.updateComplete;
      expect($(el, ".toasts").textContent!.trim()).to.equal("Undone: nothing changes for Ada Lovelace.");
      expect(buttonIn(section(el, "Confirmed"), "Remove").disabled).to.equal(false);
      clock.tick(UNDO_MS * 2);
      await el.updateComplete;
      expect(removals()).to.have.length(0);
      expect($(el, ".toasts").textContent!.trim()).to.equal("");
    });

    it("cancels an invitation the same way", async () => {
      const el = await mount({ [ROSTER]: roster(), "POST /v1/invitations/inv_1/cancel": { body: { id: "inv_1", status: "cancelled" } } });
      buttonIn(section(el, "Invitations sent"), "Cancel").click();
      await waitUntil(() => dialog(el).open);
      expect($(el, "#confirm-title").textContent).to.equal("Cancel the invitation to Edsger Dijkstra?");
      const cancelled = oneEvent(el, "rollcall-invitation-cancelled");
      buttonIn(dialog(el), "Cancel the invitation").click();
      await el.updateComplete;
      expect($(el, ".toast").textContent).to.contain("Cancelling the invitation to Edsger Dijkstra…");
      clock.tick(UNDO_MS);
      expect((await cancelled).detail.invitation).to.deep.equal({ id: "inv_1", status: "cancelled" });
      await waitUntil(() => $(el, ".toasts").textContent!.trim() === "Invitation to Edsger Dijkstra cancelled.");
    });

    it("does what was confirmed at once when the page goes away, with a request that outlives it", async () => {
      const el = await mount({ [ROSTER]: roster(), "POST /v1/registrations/reg_1/cancel": { body: {} } });
      await confirmRemoval(el);
      window.dispatchEvent(new PageTransitionEvent("pagehide"));
      await waitUntil(() => removals().length === 1, "not sent on pagehide");
      expect(removals()[0]).to.deep.include({ path: "/v1/registrations/reg_1/cancel", keepalive: true });
      clock.tick(UNDO_MS);
      expect(removals()).to.have.length(1);
    });

    it("shows a refused removal and fires rollcall-error", async () => {
      const el = await mount({ [ROSTER]: roster(), "POST /v1/registrations/reg_1/cancel": problem(404, "not_found") });
      await confirmRemoval(el);
      const failed = oneEvent(el, "rollcall-error");
      clock.tick(UNDO_MS);
      expect((await failed).detail.code).to.equal("not_found");
    });

    it("erases a person's data the same way, naming them and saying it cannot be undone; the row stays, erased", async () => {
      const erasedRow = row("confirmed", "registration", "reg_1", "", "confirmed", { email: "", flags: ["erased"] });
      const el = await mount({
        [ROSTER]: [roster(), roster([erasedRow, ...ROWS.slice(1)])],
        "POST /v1/privacy/erase": {
          body: { erasedAt: "2027-05-02T10:00:00Z", sessions: [], registrations: 1, invitations: 0, invitationsCancelled: 0, mailLog: 0 },
        },
      });
      const erase = buttonIn(section(el, "Confirmed"), "Erase");
      expect(erase.getAttribute("aria-label")).to.equal("Erase · Ada Lovelace");
      // Closed rows keep it: a cancelled registration still holds the person's data.
      expect(buttonIn(section(el, "Expired"), "Erase").getAttribute("aria-label")).to.equal("Erase · Donald Knuth");
      erase.click();
      await waitUntil(() => dialog(el).open, "no dialog");
      expect($(el, "#confirm-title").textContent).to.equal("Erase personal data");
      expect($(el, "#confirm-body").textContent).to.contain("Ada Lovelace (ada@example.org)");
      expect($(el, "#confirm-body").textContent).to.contain("This cannot be undone.");
      expect(el.shadowRoot!.activeElement!.textContent).to.equal("Keep");
      await expect(el).to.be.accessible();
      const erased = oneEvent(el, "rollcall-erased");
      buttonIn(dialog(el), "Erase Ada Lovelace").click();
      await el.updateComplete;
      expect($(el, ".toast").textContent).to.contain("Erasing Ada Lovelace…");
      clock.tick(UNDO_MS);
      expect((await erased).detail.erasure).to.deep.include({ registrations: 1 });
      const call = api.calls.find((c) => c.path === "/v1/privacy/erase")!;
      expect(call.body).to.deep.equal({ email: "ada@example.org", sessionId: SESSION_ID });
      expect(call.headers.authorization).to.equal("Bearer wt_test");
      await waitUntil(() => $(el, ".toasts").textContent!.trim() === "Ada Lovelace: personal data erased.", "not said");
      await waitUntil(() => section(el, "Confirmed").querySelector("tbody tr")!.textContent!.includes("Erased"), "not reloaded");
      const first = section(el, "Confirmed").querySelector("tbody tr")!;
      expect(first.textContent).to.contain("Erased");
      expect(first.querySelector("[part=flag]")!.textContent).to.equal("Personal data erased");
      expect(buttonIn(first as HTMLElement, "Erase")).to.equal(undefined);
      await expect(el).to.be.accessible();
    });

    it("shows a refused erasure and keeps the row", async () => {
      const el = await mount({ [ROSTER]: roster(), "POST /v1/privacy/erase": problem(403, "insufficient_scope") });
      buttonIn(section(el, "Expired"), "Erase").click();
      await waitUntil(() => dialog(el).open, "no dialog");
      expect($(el, "#confirm-body").textContent).to.contain("Donald Knuth (donald@example.org)");
      const failed = oneEvent(el, "rollcall-error");
      buttonIn(dialog(el), "Erase Donald Knuth").click();
      clock.tick(UNDO_MS);
      expect((await failed).detail.code).to.equal("insufficient_scope");
      await waitUntil(() => $(el, "[part=error]").textContent === "This page’s access does not allow that.", "not said");
    });

    it("speaks French, with the words agreeing", async () => {
      const el = await mount(
        { [ROSTER]: roster(), "POST /v1/invitations/inv_1/cancel": { body: {} } },
        html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-roster>`,
      );
      expect(section(el, "Expirées").textContent).to.contain("refusée");
      buttonIn(section(el, "Invitations envoyées"), "Annuler").click();
      await waitUntil(() => dialog(el).open);
      expect($(el, "#confirm-title").textContent).to.equal("Annuler l’invitation pour Edsger Dijkstra ?");
      buttonIn(dialog(el), "Annuler l’invitation").click();
      await el.updateComplete;
      clock.tick(UNDO_MS);
      await waitUntil(() => $(el, ".toasts").textContent!.trim() === "Invitation annulée : Edsger Dijkstra.");
    });
  });

  it("sends all 'to send' and resends all pending in bulk, and says how many", async () => {
    const bulk = { invitations: [{ id: "inv_9" }], skipped: [{ id: "inv_8", code: "invalid_transition", detail: "no" }] };
    const el = await mount({
      [ROSTER]: roster(),
      [`POST /v1/sessions/${SESSION_ID}/invitations/send`]: { body: bulk },
      [`POST /v1/sessions/${SESSION_ID}/invitations/resend`]: { body: { invitations: [], skipped: [] } },
    });
    for (const [label, path, event, said] of [
      ["Send all to send (1)", "send", "rollcall-invitations-sent", "1 invitation sent. 1 could not be sent."],
      ["Resend all pending (1)", "resend", "rollcall-invitations-resent", "0 invitations sent again."],
    ] as const) {
      const before = rosterCalls();
      const fired = oneEvent(el, event);
      buttonIn($(el, "[part=toolbar]"), label).click();
      expect((await fired).detail.invitations).to.be.an("array");
      await waitUntil(() => rosterCalls() === before + 1);
      expect(api.calls.at(-2)).to.deep.include({ method: "POST", path: `/v1/sessions/${SESSION_ID}/invitations/${path}`, body: {} });
      await el.updateComplete;
      expect($(el, ".toasts").textContent!.trim()).to.equal(said);
    }
  });

  it("shows the registration state beside the seats, and both follow the live channel", async () => {
    const full = roster(ROWS, { available: 0 });
    full.body.session.registrationState = "full";
    const el = await mount({ [ROSTER]: [roster(), full] });
    expect($(el, "[part~=state]").textContent).to.equal("Registration open");
    await waitUntil(() => openSockets().length === 1, "no live channel");
    openSockets()[0]!.push(publicSession());
    await waitUntil(() => $(el, "[part~=state]").textContent === "Full", "the state did not follow");
    expect($(el, "[part=summary]").textContent).to.contain("20 of 20 seats taken");
  });

  it("says when a scheduled invitation goes, in the session's zone", async () => {
    const rows = [row("invitations_to_send", "invitation", "inv_5", "Alan Turing", "scheduled", { sendAt: "2027-06-01T06:30:00Z" })];
    const el = await mount({ [ROSTER]: roster(rows) });
    expect(section(el, "Invitations to send").querySelector(".when")!.textContent).to.equal(
      `goes ${formatInstant("2027-06-01T06:30:00Z", "Europe/Paris", "en")}`,
    );
    expect(formatInstant("2027-06-01T06:30:00Z", "Europe/Paris", "en")).to.equal("Tuesday, June 1, 2027 at 8:30 AM (Europe/Paris)");
  });

  it("makes each row a card in a narrow container, every action in reach, and a table when wide", async () => {
    const el = await mount({ [ROSTER]: roster() });
    const fits = () => {
      const card = $(el, "[part=base]").getBoundingClientRect();
      return [...el.shadowRoot!.querySelectorAll(".row-actions button")].every((b) => {
        const box = b.getBoundingClientRect();
        return box.left >= card.left && box.right <= card.right;
      });
    };
    const display = () => getComputedStyle(el.shadowRoot!.querySelector("tbody tr")!).display;
    el.style.width = "340px";
    await nextFrame();
    expect(display()).to.equal("block");
    expect(fits()).to.equal(true);
    expect($(el, "[part=base]").scrollWidth).to.be.at.most($(el, "[part=base]").clientWidth);
    el.style.width = "900px";
    await nextFrame();
    expect(display()).to.equal("table-row");
    expect(fits()).to.equal(true);
  });

  it("shows a refused action and fires rollcall-error", async () => {
    const el = await mount({ [ROSTER]: roster(), "POST /v1/invitations/inv_2/send": problem(409, "invalid_transition") });
    const failed = oneEvent(el, "rollcall-error");
    buttonIn(section(el, "Invitations to send"), "Send").click();
    expect((await failed).detail.code).to.equal("invalid_transition");
    await waitUntil(() => rosterCalls() === 2);
    await el.updateComplete;
    expect($(el, "[part=error]").textContent).to.equal("That is no longer possible: the roster has changed.");
    await expect(el).to.be.accessible();
  });

  it("downloads the CSV with the bearer token", async () => {
    const el = await mount({
      [ROSTER]: roster(),
      [`GET /v1/sessions/${SESSION_ID}/roster.csv`]: { body: new Blob(["group,name\n"], { type: "text/csv" }) },
    });
    const clicked: HTMLAnchorElement[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      const exported = oneEvent(el, "rollcall-exported");
      buttonIn($(el, "[part=toolbar]"), "Export CSV").click();
      await waitUntil(() => clicked.length === 1, "no download");
      expect((await exported).detail).to.deep.equal({ filename: "forest-camp-week-1-2027-07-05.csv" });
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    // Named after the session: its title and its day in its own zone.
    expect(clicked[0]!.download).to.equal("forest-camp-week-1-2027-07-05.csv");
    expect(clicked[0]!.href).to.match(/^blob:/);
    const csv = api.calls.find((c) => c.path.endsWith("roster.csv"))!;
    expect(csv.headers.authorization).to.equal("Bearer wt_test");
  });

  describe("editing an invitation's email before it goes", () => {
    type Invitation = Body<"/v1/invitations/:id", "$patch">;
    const barbara = (words: Partial<Invitation> = {}): Invitation =>
      invitation({
        id: "inv_2",
        email: "barbara@example.org",
        name: "Barbara Liskov",
        status: "draft",
        delivery: null,
        sentAt: null,
        sendCount: 0,
        subject: "See you at the lake",
        message: "Bring a towel.",
        ...words,
      });
    const LIST = `GET /v1/sessions/${SESSION_ID}/invitations`;
    const words = (el: RollcallRoster) => el.shadowRoot!.querySelector("rollcall-words") as HTMLElement;
    const inWords = (el: RollcallRoster, selector: string) => words(el).shadowRoot!.querySelector(selector) as HTMLElement;

    async function openEditor(el: RollcallRoster) {
      buttonIn(section(el, "Invitations to send"), "Edit email").click();
      await waitUntil(() => words(el) && (inWords(el, "dialog") as HTMLDialogElement)?.open, "no editor");
    }

    it("is offered on invitations still to send only, and not with no-invite", async () => {
      const el = await mount({ [ROSTER]: roster() });
      expect(buttonIn(section(el, "Invitations to send"), "Edit email").getAttribute("aria-label")).to.equal("Edit email · Barbara Liskov");
      expect(buttonIn(section(el, "Invitations sent"), "Edit email")).to.equal(undefined);
      // Its chunk is not loaded before it is wanted.
      expect(words(el)).to.equal(null);
      api.restore();
      const quiet = await mount(
        { [ROSTER]: roster() },
        html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} no-invite></rollcall-roster>`,
      );
      expect(buttonIn(section(quiet, "Invitations to send"), "Edit email")).to.equal(undefined);
    });

    it("shows its words as they are, saves them (a blank field: the email's own) and sends it; says so and fires rollcall-invitation-sent", async () => {
      const el = await mount({
        // Reloaded once sent, the roster has her among the invitations sent.
        [ROSTER]: [roster(), roster(ROWS.map((r) => (r.id === "inv_2" ? { ...r, group: "invitations_sent", status: "sent" } : r)))],
        [LIST]: { body: { invitations: [barbara({ id: "inv_9", subject: "Another" }), barbara()] } },
        "PATCH /v1/invitations/inv_2": (call) => ({ body: barbara(call.body as Partial<Invitation>) }),
        "POST /v1/invitations/inv_2/send": { body: barbara({ status: "sent" }) },
      });
      await openEditor(el);
      const list = api.calls.find((c) => c.method === "GET" && c.path.includes("/invitations"))!;
      expect(list.path).to.equal(`/v1/sessions/${SESSION_ID}/invitations?status=draft`);
      expect(list.headers.authorization).to.equal("Bearer wt_test");
      await waitUntil(() => inWords(el, "#subject"), "the words never showed");
      expect(inWords(el, "h2").textContent).to.equal("The email to Barbara Liskov");
      const subject = inWords(el, "#subject") as HTMLInputElement;
      const message = inWords(el, "#message") as HTMLTextAreaElement;
      expect([subject.value, (inWords(el, "#buttonText") as HTMLInputElement).value, message.value]).to.deep.equal([
        "See you at the lake",
        "",
        "Bring a towel.",
      ]);
      // Enter in a one-line field does not send.
      subject.value = "Canoe day: see you at the lake";
      subject.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, composed: true, cancelable: true }));
      expect(api.calls.some((c) => c.method === "PATCH")).to.equal(false);
      message.value = "   ";
      const before = rosterCalls();
      const fired = oneEvent(el, "rollcall-invitation-sent");
      buttonIn(words(el).shadowRoot!, "Save and send").click();
      expect((await fired).detail.invitation).to.deep.include({ id: "inv_2", status: "sent" });
      const [patch, send] = api.calls.filter((c) => c.method !== "GET");
      expect([patch!.method, patch!.path, patch!.body]).to.deep.equal([
        "PATCH",
        "/v1/invitations/inv_2",
        { subject: "Canoe day: see you at the lake", buttonText: null, message: null },
      ]);
      expect([send!.method, send!.path]).to.deep.equal(["POST", "/v1/invitations/inv_2/send"]);
      await waitUntil(() => rosterCalls() === before + 1, "the roster did not reload");
      expect((inWords(el, "dialog") as HTMLDialogElement).open).to.equal(false);
      await el.updateComplete;
      expect($(el, ".toasts").textContent!.trim()).to.equal("Invitation sent to Barbara Liskov.");
      // Its row left the group to send: focus is on the summary, not lost to the page's start.
      await waitUntil(() => el.shadowRoot!.activeElement?.classList.contains("summary"), "focus was lost");
    });

    it("saves without sending, firing rollcall-invitation-edited", async () => {
      const el = await mount({
        [ROSTER]: roster(),
        [LIST]: { body: { invitations: [barbara()] } },
        "PATCH /v1/invitations/inv_2": (call) => ({ body: barbara(call.body as Partial<Invitation>) }),
      });
      await openEditor(el);
      await waitUntil(() => inWords(el, "#subject"));
      (inWords(el, "#buttonText") as HTMLInputElement).value = "I'm coming";
      const fired = oneEvent(el, "rollcall-invitation-edited");
      buttonIn(words(el).shadowRoot!, "Save").click();
      expect((await fired).detail.invitation).to.deep.include({ buttonText: "I'm coming", status: "draft" });
      expect(api.calls.filter((c) => c.method === "POST")).to.deep.equal([]);
      await waitUntil(() => $(el, ".toasts").textContent!.includes("Email saved"));
      expect($(el, ".toasts").textContent!.trim()).to.equal("Email saved for Barbara Liskov: it goes when it is sent.");
    });

    it("keeps the dialog open and says why when the API refuses, and when the invitation went meanwhile", async () => {
      const el = await mount({
        [ROSTER]: roster(),
        [LIST]: [{ body: { invitations: [barbara()] } }, { body: { invitations: [] } }],
        "PATCH /v1/invitations/inv_2": problem(409, "invalid_transition"),
      });
      await openEditor(el);
      await waitUntil(() => inWords(el, "#subject"));
      const failed = oneEvent(el, "rollcall-error");
      buttonIn(words(el).shadowRoot!, "Save and send").click();
      expect((await failed).detail.code).to.equal("invalid_transition");
      await waitUntil(() => inWords(el, "[role=alert]").textContent!.trim() !== "");
      expect((inWords(el, "dialog") as HTMLDialogElement).open).to.equal(true);
      expect(api.calls.some((c) => c.path.endsWith("/send"))).to.equal(false);
      buttonIn(words(el).shadowRoot!, "Close").click();
      // Opened again, the invitation is no longer to send: nothing to edit, and it says so.
      await openEditor(el);
      await waitUntil(() => inWords(el, "[role=alert]").textContent!.includes("no longer to send"));
      expect(inWords(el, "#subject")).to.equal(null);
      expect(buttonIn(words(el).shadowRoot!, "Save")).to.equal(undefined);
    });

    it("speaks French", async () => {
      const el = await mount(
        { [ROSTER]: roster(), [LIST]: { body: { invitations: [barbara()] } } },
        html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} locale="fr"></rollcall-roster>`,
      );
      await waitUntil(() => el.shadowRoot!.textContent!.includes("Modifier l’e-mail"));
      const section = [...el.shadowRoot!.querySelectorAll("section")].find((s) =>
        s.querySelector("h3")!.textContent!.startsWith("Invitations à envoyer"),
      )!;
      buttonIn(section, "Modifier l’e-mail").click();
      await waitUntil(() => words(el) && inWords(el, "#subject"), "no editor");
      expect(inWords(el, "h2").textContent).to.equal("L’e-mail pour Barbara Liskov");
      expect([...words(el).shadowRoot!.querySelectorAll("label")].map((l) => l.textContent!.trim())).to.deep.equal([
        "Objet",
        "Bouton",
        "Message",
      ]);
      expect(buttonIn(words(el).shadowRoot!, "Enregistrer et envoyer")).not.to.equal(undefined);
    });
  });

  it("with no-invite, offers no way to invite: no + Add participant, no send or resend, one by one or all", async () => {
    const el = await mount(
      { [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} no-invite></rollcall-roster>`,
    );
    expect(el.shadowRoot!.querySelector("rollcall-invite")).to.equal(null);
    expect(buttonIn(section(el, "Invitations sent"), "Resend")).to.equal(undefined);
    expect(buttonIn(section(el, "Invitations to send"), "Send")).to.equal(undefined);
    // Running the session stays: cancelling an invitation, removing a participant.
    expect(buttonIn(section(el, "Invitations sent"), "Cancel")).not.to.equal(undefined);
    const toolbar = [...el.shadowRoot!.querySelectorAll("[part=toolbar] button")].map((b) => b.textContent!.trim());
    expect(toolbar.some((label) => /^(Send|Resend) all/.test(label))).to.equal(false);
  });

  it("contains + Add participant with the same session and token, and refreshes on rollcall-invited", async () => {
    const el = await mount({ [ROSTER]: roster() });
    const invite = $(el, "rollcall-invite") as HTMLElement & { token?: string; session?: string };
    expect(invite.session).to.equal(SESSION_ID);
    expect(invite.token).to.equal("wt_test");
    const before = rosterCalls();
    invite.dispatchEvent(new CustomEvent("rollcall-invited", { bubbles: true, composed: true, detail: {} }));
    await waitUntil(() => rosterCalls() === before + 1);
  });

  it("passes invitation-locale on to its invitation dialog", async () => {
    const el = await mount(
      { [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token="wt_test" api=${API} invitation-locale="fr"></rollcall-roster>`,
    );
    const invite = $(el, "rollcall-invite") as HTMLElement & { invitationLocale?: string };
    expect(invite.invitationLocale).to.equal("fr");
  });

  it("reloads on each message of the session's live channel, one load at a time with one queued", async () => {
    const el = await mount({ [ROSTER]: [roster(), roster(ROWS.slice(0, 1)), roster(ROWS.slice(0, 2))] });
    await waitUntil(() => openSockets().length === 1, "no live channel");
    const [socket] = openSockets();
    expect(socket!.url).to.equal(`ws://api.test/v1/public/sessions/${SESSION_ID}/live`);
    socket!.push(publicSession());
    await waitUntil(() => el.shadowRoot!.querySelectorAll("tbody tr").length === 1, "the roster did not reload");
    expect(rosterCalls()).to.equal(2);
    // A burst while a load is in flight: that load, then one more.
    for (let i = 0; i < 5; i++) socket!.push(publicSession());
    await waitUntil(() => rosterCalls() === 4 && el.shadowRoot!.querySelectorAll("tbody tr").length === 2);
    // The loop ends as the last load's rows are set: a fifth load would have started by the next frame.
    await nextFrame();
    expect(rosterCalls()).to.equal(4);
    expect(api.calls.every((c) => c.headers.authorization === "Bearer wt_test")).to.equal(true);
    el.remove();
    expect(openSockets()).to.have.length(0);
  });

  it("fetches a fresh token from token-url when the API refuses the cached one", async () => {
    let n = 0;
    const el = await mount(
      {
        "GET /backend/token": () => ({ body: { token: `wt_${++n}`, expiresAt: new Date(Date.now() + 3_600_000).toISOString() } }),
        [ROSTER]: (call) => (call.headers.authorization === "Bearer wt_1" ? problem(401, "unauthenticated") : roster()),
      },
      html`<rollcall-roster session=${SESSION_ID} token-url="/backend/token" api=${API} trust-api></rollcall-roster>`,
    );
    expect(n).to.equal(2);
    expect(el.shadowRoot!.querySelectorAll("tbody tr").length).to.equal(ROWS.length);
  });

  it("fetches a new token once when the API says token_expired, and says so when the new one is refused too", async () => {
    let n = 0;
    api = mockApi({
      "GET /backend/token": () => ({ body: { token: `wt_${++n}`, expiresAt: new Date(Date.now() + 900_000).toISOString() } }),
      [ROSTER]: problem(401, "token_expired"),
    });
    const el = await fixture<RollcallRoster>(
      html`<rollcall-roster session=${SESSION_ID} token-url="/backend/token" api=${API} trust-api></rollcall-roster>`,
    );
    await waitUntil(() => $(el, "[part=error]").textContent, "no error shown");
    expect(n).to.equal(2);
    expect(api.calls.filter((c) => c.path.endsWith("/roster")).map((c) => c.headers.authorization)).to.deep.equal([
      "Bearer wt_1",
      "Bearer wt_2",
    ]);
    expect($(el, "[part=error]").textContent).to.equal("Your access has expired. Reload the page.");
  });

  it("speaks French with locale=fr", async () => {
    const el = await mount(
      { [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token="t" api=${API} locale="fr"></rollcall-roster>`,
    );
    expect(text(el)).to.contain("4 places prises sur 20");
    expect(section(el, "Confirmés")).to.not.equal(undefined);
    expect(buttonIn($(el, "[part=toolbar]"), "Exporter en CSV")).to.not.equal(undefined);
    const invite = $(el, "rollcall-invite");
    await (invite as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    expect(invite.shadowRoot!.textContent).to.contain("+ Ajouter un participant");
    await expect(el).to.be.accessible();
  });
});

describe("<rollcall-roster> with a token from token-url", () => {
  const fresh = () => ({ body: { token: "wt_from_url", expiresAt: new Date(Date.now() + 3_600_000).toISOString() } });

  it("never sends it to an api on another origin than the token URL's or the script's, and says why", async () => {
    api = mockApi({ "GET /backend/token": fresh(), [ROSTER]: roster() });
    const el = await fixture<RollcallRoster>(
      html`<rollcall-roster session=${SESSION_ID} token-url="/backend/token" api="https://attacker.example"></rollcall-roster>`,
    );
    const refused = oneEvent(el, "rollcall-error");
    await waitUntil(() => $(el, "[part=error]").textContent, "no error shown");
    expect((await refused).detail.code).to.equal("untrusted_api");
    expect($(el, "[part=error]").textContent).to.contain("its token was not sent");
    // Nothing left for the other origin, and the token itself was not even fetched.
    expect(api.calls.map((c) => c.url)).to.deep.equal([]);
  });

  it("sends it to the token URL's own origin, asking for it with the Rollcall-Token-Request header", async () => {
    await mount(
      { "GET /backend/token": fresh(), [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token-url=${`${API}/backend/token`} api=${API}></rollcall-roster>`,
    );
    const [token, load] = api.calls;
    expect(token!.url).to.equal(`${API}/backend/token`);
    expect(token!.headers["rollcall-token-request"]).to.equal("1");
    expect(load!.url).to.equal(`${API}/v1/sessions/${SESSION_ID}/roster`);
    expect(load!.headers.authorization).to.equal("Bearer wt_from_url");
  });

  it("sends it to the origin the script came from, the API by default", async () => {
    await mount(
      { "GET /backend/token": fresh(), [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token-url="https://club.example/backend/token"></rollcall-roster>`,
    );
    const load = api.calls.find((c) => c.path.endsWith("/roster"))!;
    expect(load.url).to.equal(`${location.origin}/v1/sessions/${SESSION_ID}/roster`);
    expect(load.headers.authorization).to.equal("Bearer wt_from_url");
  });

  it("sends it to any api when the page says trust-api, and its invite modal does too", async () => {
    const el = await mount(
      { "GET /backend/token": fresh(), [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token-url="/backend/token" api=${API} trust-api></rollcall-roster>`,
    );
    expect(api.calls.find((c) => c.path.endsWith("/roster"))!.headers.authorization).to.equal("Bearer wt_from_url");
    expect(($(el, "rollcall-invite") as HTMLElement & { trustApi?: boolean }).trustApi).to.equal(true);
  });

  it("sends a token given as is to any api: the page put it there", async () => {
    await mount(
      { [ROSTER]: roster() },
      html`<rollcall-roster session=${SESSION_ID} token="wt_given" api="https://other.example"></rollcall-roster>`,
    );
    expect(api.calls[0]!.headers.authorization).to.equal("Bearer wt_given");
  });
});
