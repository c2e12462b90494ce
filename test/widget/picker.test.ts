// The participant picker of <rollcall-invite> (issue 12, seeds 001 and 004), driven through the
// invite modal as a provider uses it: loaded on first use, search as you type, filters, the
// listbox by mouse and keyboard, whole groups, the limit of 200, French, and what is sent.

import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys, setViewport } from "@web/test-runner-commands";
import "../../widget/invite/define";
import type { CreatedInvitations } from "../../widget/api/client";
import type { RollcallInvite } from "../../widget/invite/invite";
import type { RollcallPicker } from "../../widget/invite/picker";
import { type Contact, EMPTY, type Group, picked, setGroup, toggleContact } from "../../widget/invite/selection";
import { $, API, type Call, mockApi, SESSION_ID } from "./api-mock";

const CONTACTS = "GET /v1/contacts";
const GROUPS = "GET /v1/groups";
const CREATE = `POST /v1/sessions/${SESSION_ID}/invitations`;
const COHORT = "grp_c0h0rt0a0000000000000a";
const MENTORS = "grp_ment0rs00000000000000b";

let api: ReturnType<typeof mockApi>;
afterEach(() => api?.restore());

let serial = 0;
function contact(first: string | null, last: string | null, email: string | null, extra: Partial<Contact> = {}): Contact {
  const id = `con_${String(++serial).padStart(20, "0")}`;
  return {
    id,
    email,
    firstName: first,
    lastName: last,
    phone: null,
    channel: "email",
    locale: null,
    type: "member",
    tags: [],
    groups: [],
    externalId: null,
    notes: null,
    deactivateAt: null,
    status: "active",
    createdAt: "2027-01-01T00:00:00Z",
    updatedAt: "2027-01-01T00:00:00Z",
    ...extra,
  };
}

const ada = contact("Ada", "Lovelace", "ada@example.org", { type: "trainee", tags: ["evening"] });
const grace = contact("Grace", "Hopper", "grace@example.org", { type: "mentor", tags: ["weekend"] });
const alan = contact("Alan", "Turing", "alan@example.org");
const noAddress = contact("Noor", "Haddad", null, { channel: "sms", phone: "+33612345678" });
const directory = [ada, grace, alan, noAddress];

const group = (id: string, name: string, memberCount: number): Group => ({
  id,
  name,
  memberCount,
  createdAt: "2027-01-01T00:00:00Z",
  updatedAt: "2027-01-01T00:00:00Z",
});

const page = (contacts: Contact[], total = contacts.length, nextCursor: string | null = null) => ({
  body: { contacts, total, nextCursor },
});

/** The directory as the API filters it: by q (name or address), type and tag. */
function search(call: Call) {
  const query = new URL(call.url).searchParams;
  const q = query.get("q")?.toLowerCase();
  const found = directory.filter(
    (c) =>
      (!q || `${c.firstName} ${c.lastName} ${c.email}`.toLowerCase().includes(q)) &&
      (!query.get("type") || c.type === query.get("type")) &&
      (!query.get("tag") || c.tags.includes(query.get("tag")!)),
  );
  return page(found);
}

const query = (call: Call) => Object.fromEntries(new URL(call.url).searchParams);
const searches = () => api.calls.filter((c) => c.path.startsWith("/v1/contacts")).map(query);

async function invite(routes: Parameters<typeof mockApi>[0], locale = "en") {
  api = mockApi({ [GROUPS]: { body: { groups: [] } }, ...routes });
  return fixture<RollcallInvite>(
    html`<rollcall-invite session=${SESSION_ID} token="wt_test" api=${API} locale=${locale}></rollcall-invite>`,
  );
}

async function open(el: RollcallInvite) {
  $(el, ".opener button").click();
  await waitUntil(() => ($(el, "dialog") as HTMLDialogElement).open);
}

/** Opens the invite modal, then the picker from it; resolves once the first search is shown. */
async function openPicker(el: RollcallInvite): Promise<RollcallPicker> {
  if (!($(el, "dialog") as HTMLDialogElement).open) await open(el);
  // A click focuses the button (as in Chrome and Firefox): the picker gives focus back to it.
  const choose = chooseButton(el);
  choose.focus();
  choose.click();
  await waitUntil(
    () => el.shadowRoot!.querySelector("rollcall-picker")?.shadowRoot?.querySelector("dialog")?.open,
    "the picker did not open",
  );
  const picker = el.shadowRoot!.querySelector("rollcall-picker")!;
  await waitUntil(() => picker.shadowRoot!.querySelector(".matches")?.textContent !== "Loading…", "the first search never came");
  return picker;
}

const chooseButton = (el: RollcallInvite) =>
  [...el.shadowRoot!.querySelectorAll("button")].find((b) => /Choose from your people|Choisir parmi vos contacts/.test(b.textContent!))!;

const options = (picker: RollcallPicker) => [...picker.shadowRoot!.querySelectorAll<HTMLElement>("[role=option]")];
const names = (picker: RollcallPicker) => options(picker).map((o) => o.querySelector(".name")!.textContent);
const chosen = (picker: RollcallPicker) =>
  options(picker)
    .filter((o) => o.getAttribute("aria-selected") === "true")
    .map((o) => o.querySelector(".name")!.textContent);
const live = (picker: RollcallPicker) => $(picker, "[role=status]").textContent;

function typeInto(picker: RollcallPicker, selector: string, value: string) {
  const input = $(picker, selector) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
}

const created = (count: number): { status: number; body: CreatedInvitations } => ({
  status: 201,
  body: {
    invitations: [],
    skipped: [],
    seats: { capacity: 20, confirmed: 0, held: count, host: 0, available: 20, waitlisted: 0 },
    capacityRaisedBy: 0,
  },
});

describe("<rollcall-invite>'s participant picker", () => {
  // Runs first: nothing of the picker is loaded until a provider opens it.
  it("loads its code only when 'Choose from your people' is pressed", async () => {
    const loaded = () => performance.getEntriesByType("resource").some((e) => /\/widget\/invite\/picker\.ts/.test(e.name));
    const el = await invite({ [CONTACTS]: search });
    await open(el);
    expect(customElements.get("rollcall-picker") === undefined, "the picker was defined before it was opened").to.equal(true);
    expect(loaded()).to.equal(false);
    expect(el.shadowRoot!.querySelector("rollcall-picker") === null).to.equal(true);
    // Opening reads only the discount codes (the modal's select).
    expect(api.calls.map((c) => c.path)).to.deep.equal([`/v1/discount-codes?sessionId=${SESSION_ID}`]);

    const picker = await openPicker(el);
    expect(customElements.get("rollcall-picker") === undefined, "the picker was not defined").to.equal(false);
    expect(loaded()).to.equal(true);
    expect(picker.shadowRoot!.querySelector("dialog")!.matches(":modal")).to.equal(true);
    expect($(picker, "h2").textContent).to.equal("Choose from your people");
    expect(picker.shadowRoot!.activeElement?.id).to.equal("q");
    // The org's active contacts, with the provider's token.
    const first = api.calls.find((c) => c.path.startsWith("/v1/contacts"))!;
    expect(query(first)).to.deep.equal({ status: "active", limit: "50" });
    expect(first.headers.authorization).to.equal("Bearer wt_test");
    expect(names(picker)).to.deep.equal(["Ada Lovelace", "Grace Hopper", "Alan Turing", "Noor Haddad"]);
    expect($(picker, ".matches").textContent).to.equal("4 people match.");
    await expect(picker).to.be.accessible();
  });

  it("searches by name or email once typing pauses, and never shows the answer of a search it replaced", async () => {
    const el = await invite({ [CONTACTS]: search });
    const picker = await openPicker(el);
    // Typed letter by letter: one search, for what stands when typing pauses.
    for (const q of ["g", "gr", "gra"]) typeInto(picker, "#q", q);
    await waitUntil(() => names(picker).length === 1, "no search after the pause");
    expect(searches().map((s) => s.q)).to.deep.equal([undefined, "gra"]);
    expect(names(picker)).to.deep.equal(["Grace Hopper"]);
    expect(live(picker)).to.equal("1 person matches.");

    // A slow answer (for "example") overtaken by a newer search (for "alan@"): cancelled, then ignored.
    const signals: AbortSignal[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const answer = window.fetch;
    window.fetch = async (input, init) => {
      if (String(input).includes("q=example")) {
        signals.push(init!.signal!);
        await held;
      }
      return answer(input, init);
    };
    typeInto(picker, "#q", "example");
    await waitUntil(() => signals.length === 1, "the first search never went out");
    typeInto(picker, "#q", "alan@");
    await waitUntil(() => names(picker).join() === "Alan Turing", "the newer search was not shown");
    expect(signals[0]!.aborted).to.equal(true);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await picker.updateComplete;
    expect(names(picker)).to.deep.equal(["Alan Turing"]);
    expect(live(picker)).to.equal("1 person matches.");
  });

  it("filters by group, type and tag, suggesting the types and tags it has seen", async () => {
    const el = await invite({
      [CONTACTS]: search,
      [GROUPS]: { body: { groups: [group(COHORT, "Cohort A", 2), group(MENTORS, "Mentors", 1)] } },
    });
    const picker = await openPicker(el);
    await waitUntil(() => picker.shadowRoot!.querySelectorAll("#group option").length === 3, "no groups to filter by");
    expect([...picker.shadowRoot!.querySelectorAll("#types option")].map((o) => o.getAttribute("value"))).to.deep.equal([
      "member",
      "mentor",
      "trainee",
    ]);
    expect([...picker.shadowRoot!.querySelectorAll("#tags option")].map((o) => o.getAttribute("value"))).to.deep.equal([
      "evening",
      "weekend",
    ]);
    const select = $(picker, "#group") as HTMLSelectElement;
    select.value = MENTORS;
    select.dispatchEvent(new Event("change"));
    await waitUntil(() => searches().length === 2, "choosing a group did not search");
    expect(searches()[1]).to.deep.equal({ group: MENTORS, status: "active", limit: "50" });
    typeInto(picker, "#type", "trainee");
    typeInto(picker, "#tag", "evening");
    await waitUntil(() => searches().length === 3, "the type and tag did not search");
    expect(searches()[2]).to.deep.equal({ group: MENTORS, type: "trainee", tag: "evening", status: "active", limit: "50" });
    await waitUntil(() => names(picker).join() === "Ada Lovelace");
    await expect(picker).to.be.accessible();
  });

  it("selects people with their checkboxes, says so in the live region, and counts against 200", async () => {
    const el = await invite({ [CONTACTS]: search });
    const picker = await openPicker(el);
    const [first, second] = options(picker);
    first!.click();
    await picker.updateComplete;
    expect(first!.getAttribute("aria-selected")).to.equal("true");
    expect(live(picker)).to.equal("Ada Lovelace chosen: 1 of 200.");
    expect($(picker, "#picked-count").textContent).to.equal("1 person chosen of 200");
    second!.click();
    await picker.updateComplete;
    expect($(picker, "#picked-count").textContent).to.equal("2 people chosen of 200");
    first!.click();
    await picker.updateComplete;
    expect(live(picker)).to.equal("Ada Lovelace removed: 1 of 200.");
    expect(chosen(picker)).to.deep.equal(["Grace Hopper"]);
    await expect(picker).to.be.accessible();
  });

  it("selects all N matching, fetching those not listed yet, and offers it only up to 200", async () => {
    const many = Array.from({ length: 120 }, (_, i) => contact(`P${i}`, "Member", `p${i}@example.org`));
    const el = await invite({
      [CONTACTS]: (call) => {
        const q = query(call);
        if (q.q === "everyone") return q.cursor ? page(many.slice(50, 100), 450, "cursor-100") : page(many.slice(0, 50), 450, "cursor-50");
        return q.limit === "200" ? page(many) : page(many.slice(0, 50), 120, "cursor-50");
      },
    });
    const picker = await openPicker(el);
    const selectAll = $(picker, ".select-all");
    expect(selectAll.textContent).to.equal("Select all 120 matching");
    selectAll.click();
    await waitUntil(() => $(picker, "#picked-count").textContent === "120 people chosen of 200", "not all were chosen");
    expect(searches().at(-1)).to.deep.equal({ status: "active", limit: "200" });
    expect(live(picker)).to.equal("120 people chosen: 120 of 200.");
    expect(chosen(picker)).to.have.length(50);

    // More than 200 match: no "select all", and why.
    typeInto(picker, "#q", "everyone");
    await waitUntil(() => $(picker, ".matches").textContent === "450 people match.");
    expect(picker.shadowRoot!.querySelector(".select-all") === null).to.equal(true);
    expect($(picker, ".bulk").textContent).to.contain("More than 200 match: narrow the search to select them all.");
    // The next page comes with "Show more".
    $(picker, ".more").click();
    await waitUntil(() => options(picker).length === 100, "no second page");
    expect(searches().at(-1)).to.deep.equal({ q: "everyone", status: "active", limit: "50", cursor: "cursor-50" });
  });

  it("chooses a whole group as one, counting each person once, and hands ids and addresses back", async () => {
    const el = await invite({
      [CONTACTS]: search,
      [GROUPS]: { body: { groups: [group(COHORT, "Cohort A", 2)] } },
      [`GET /v1/groups/${COHORT}/members`]: page([ada, alan]),
    });
    const picker = await openPicker(el);
    options(picker)[0]!.click(); // Ada, also in the cohort
    options(picker)[3]!.click(); // Noor, no address
    await waitUntil(() => picker.shadowRoot!.querySelector(`#g-${COHORT}`));
    ($(picker, "details.groups") as HTMLDetailsElement).open = true;
    expect($(picker, `label[for=g-${COHORT}]`).textContent).to.equal("Cohort A (2 people)");
    $(picker, `#g-${COHORT}`).click();
    await waitUntil(() => live(picker) === "Cohort A (2 people) chosen: 3 of 200.", "the group was not chosen");
    expect(api.calls.find((c) => c.path.startsWith(`/v1/groups/${COHORT}/members`))!.path).to.equal(
      `/v1/groups/${COHORT}/members?status=active&limit=200`,
    );
    expect($(picker, "summary").textContent).to.equal("Whole groups (1 chosen)");
    expect(options(picker)[2]!.textContent).to.contain("in a group chosen");
    expect($(picker, "#picked-count").textContent).to.equal("3 people chosen of 200");
    expect(picker.shadowRoot!.textContent).to.contain("1 person chosen has no email address and will not be invited.");
    await expect(picker).to.be.accessible();

    const picked = oneEvent(el, "rollcall-picked");
    $(picker, ".done").click();
    const { detail } = await picked;
    expect(detail.contactIds).to.deep.equal([ada.id, noAddress.id]);
    expect(detail.groupIds).to.deep.equal([COHORT]);
    expect(detail.count).to.equal(3);
    expect(detail.withoutEmail).to.equal(1);
    expect(detail.recipients).to.have.members(['"Ada Lovelace" <ada@example.org>', '"Alan Turing" <alan@example.org>']);
    await waitUntil(() => !picker.shadowRoot!.querySelector("dialog")!.open);
    // Focus is back on the button that opened it; the choice is one chip in the form.
    expect(el.shadowRoot!.activeElement === chooseButton(el), "focus is not on Choose from your people").to.equal(true);
    expect($(picker, "[part=chip]").textContent).to.contain("3 people chosen from your people");
    expect($(el, "[part=count]").textContent).to.equal("3 / 200");
  });

  it("says clearly when more than 200 are chosen, and will not be done until fewer are", async () => {
    const members = Array.from({ length: 200 }, (_, i) => contact(`M${i}`, "Member", `m${i}@example.org`));
    const el = await invite({
      [CONTACTS]: search,
      [GROUPS]: { body: { groups: [group(COHORT, "Cohort A", 230)] } },
      [`GET /v1/groups/${COHORT}/members`]: page(members, 230, "cursor-200"),
    });
    const picker = await openPicker(el);
    await waitUntil(() => picker.shadowRoot!.querySelector(`#g-${COHORT}`));
    $(picker, `#g-${COHORT}`).click();
    await waitUntil(() => $(picker, "#picked-count").textContent === "230 people chosen of 200", "the group was not counted in full");
    expect($(picker, "#picked-count").classList.contains("error")).to.equal(true);
    expect($(picker, "[role=alert]").textContent).to.equal("At most 200 people at a time: remove some people or a group.");
    expect(($(picker, ".done") as HTMLButtonElement).disabled).to.equal(true);
    await expect(picker).to.be.accessible();
    $(picker, `#g-${COHORT}`).click();
    await picker.updateComplete;
    expect(picker.shadowRoot!.querySelector("[role=alert]") === null).to.equal(true);
    expect(($(picker, ".done") as HTMLButtonElement).disabled).to.equal(false);
  });

  it("is used from the keyboard as an ARIA listbox: arrows, Home, End, Space, Enter, Shift and Control+A", async () => {
    const el = await invite({ [CONTACTS]: search });
    await open(el);
    chooseButton(el).focus();
    await sendKeys({ press: "Enter" });
    await waitUntil(
      () => el.shadowRoot!.querySelector("rollcall-picker")?.shadowRoot?.querySelector("[role=option]"),
      "Enter did not open the picker",
    );
    const picker = el.shadowRoot!.querySelector("rollcall-picker")!;
    expect(picker.shadowRoot!.activeElement?.id).to.equal("q");
    const list = $(picker, "[role=listbox]");
    expect(list.getAttribute("aria-multiselectable")).to.equal("true");
    const active = () => list.getAttribute("aria-activedescendant");
    await sendKeys({ press: "ArrowDown" }); // from the search field into the list
    expect(picker.shadowRoot!.activeElement === list, "focus is not on the list").to.equal(true);
    expect(active()).to.equal(`o-${ada.id}`);
    await sendKeys({ press: "ArrowDown" });
    expect(active()).to.equal(`o-${grace.id}`);
    await sendKeys({ press: "Space" });
    await picker.updateComplete;
    expect(chosen(picker)).to.deep.equal(["Grace Hopper"]);
    expect(live(picker)).to.equal("Grace Hopper chosen: 1 of 200.");
    await sendKeys({ press: "End" });
    expect(active()).to.equal(`o-${noAddress.id}`);
    await sendKeys({ press: "Enter" });
    await sendKeys({ press: "Home" });
    expect(active()).to.equal(`o-${ada.id}`);
    await sendKeys({ down: "Shift" });
    await sendKeys({ press: "ArrowDown" }); // moves to Grace and clears her
    await sendKeys({ press: "ArrowDown" }); // moves to Alan and chooses him
    await sendKeys({ up: "Shift" });
    await picker.updateComplete;
    expect(chosen(picker)).to.deep.equal(["Alan Turing", "Noor Haddad"]);
    await sendKeys({ press: "Space" });
    await picker.updateComplete;
    expect(chosen(picker)).to.deep.equal(["Noor Haddad"]);
    await sendKeys({ press: "ArrowUp" });
    expect(active()).to.equal(`o-${grace.id}`);
    await sendKeys({ down: "Control" });
    await sendKeys({ press: "a" });
    await sendKeys({ up: "Control" });
    await picker.updateComplete;
    expect(chosen(picker)).to.deep.equal(["Ada Lovelace", "Grace Hopper", "Alan Turing", "Noor Haddad"]);
    expect($(picker, ".option.active").getAttribute("id")).to.equal(`o-${grace.id}`);
    await expect(picker).to.be.accessible();
    // Escape leaves the picker (not the invite modal) and forgets what was not kept with Done.
    await sendKeys({ press: "Escape" });
    await waitUntil(() => !picker.shadowRoot!.querySelector("dialog")!.open, "Escape did not close the picker");
    expect(($(el, "dialog") as HTMLDialogElement).open).to.equal(true);
    expect(el.shadowRoot!.activeElement === chooseButton(el), "focus is not on Choose from your people").to.equal(true);
    expect(picker.shadowRoot!.querySelector("[part=chip]") === null).to.equal(true);
    await picker.show();
    await picker.updateComplete;
    expect(chosen(picker)).to.deep.equal([]);
  });

  it("sends the people chosen with the pasted addresses, each once, and can remove them again", async () => {
    const el = await invite({ [CONTACTS]: search, [CREATE]: created(3) });
    await open(el);
    const data = new DataTransfer();
    data.setData("text/plain", "ADA@example.org, zoe@example.org");
    $(el, "#recipients").dispatchEvent(
      new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true, composed: true }),
    );
    const picker = await openPicker(el);
    options(picker)[0]!.click(); // Ada: pasted already
    options(picker)[1]!.click(); // Grace
    await picker.updateComplete;
    $(picker, ".done").click();
    await waitUntil(() => $(el, "[part=count]").textContent === "3 / 200", "the count does not take the people chosen");
    await expect(el).to.be.accessible();
    const invited = oneEvent(el, "rollcall-invited");
    ($(el, "form") as HTMLFormElement).requestSubmit();
    await invited;
    // The pasted addresses as typed, the people chosen by id: the server merges them, each once.
    expect(api.calls.at(-1)!.body).to.deep.include({ recipients: ["ADA@example.org", "zoe@example.org"], contactIds: [ada.id, grace.id] });
    expect(api.calls.at(-1)!.body).not.to.have.property("groupIds");

    // A new invitation starts with nobody chosen; a choice can be removed from its chip.
    ($(el, ".next") as HTMLButtonElement).click();
    await open(el);
    expect(el.shadowRoot!.querySelector("rollcall-picker") === null, "the picker stayed").to.equal(true);
    const again = await openPicker(el);
    options(again)[2]!.click();
    $(again, ".done").click();
    await waitUntil(() => $(el, "[part=count]").textContent === "1 / 200");
    const removed = oneEvent(el, "rollcall-picked");
    ($(again, "[part=chip] button") as HTMLButtonElement).click();
    expect((await removed).detail.count).to.equal(0);
    await el.updateComplete;
    expect($(el, "[part=count]").textContent).to.equal("0 / 200");
    expect(again.shadowRoot!.querySelector("[part=chip]") === null).to.equal(true);
  });

  it("sends a whole group by its id, and names a contact the API skipped by the name the provider chose", async () => {
    const answer = created(2);
    answer.body.skipped = [{ email: "", position: 3, reason: "phone_only", contactId: noAddress.id }];
    const el = await invite({
      [CONTACTS]: search,
      [GROUPS]: { body: { groups: [group(COHORT, "Cohort A", 2)] } },
      [`GET /v1/groups/${COHORT}/members`]: page([ada, alan]),
      [CREATE]: answer,
    });
    const picker = await openPicker(el);
    options(picker)[3]!.click(); // Noor, reached by SMS only
    await waitUntil(() => picker.shadowRoot!.querySelector(`#g-${COHORT}`));
    ($(picker, "details.groups") as HTMLDetailsElement).open = true;
    $(picker, `#g-${COHORT}`).click();
    await waitUntil(() => $(picker, "#picked-count").textContent === "3 people chosen of 200", "the group was not chosen");
    $(picker, ".done").click();
    await waitUntil(() => $(el, "[part=count]").textContent === "3 / 200");
    const invited = oneEvent(el, "rollcall-invited");
    ($(el, "form") as HTMLFormElement).requestSubmit();
    await invited;
    expect(api.calls.at(-1)!.body).to.deep.include({ recipients: [], contactIds: [noAddress.id], groupIds: [COHORT] });
    await el.updateComplete;
    const lines = [...el.shadowRoot!.querySelectorAll(".message li")].map((li) => li.textContent!.trim());
    expect(lines).to.deep.equal(["Noor Haddad: reached by SMS only: add an email address to invite them"]);
  });

  it("speaks French with the invite modal", async () => {
    const el = await invite({ [CONTACTS]: search }, "fr");
    await open(el);
    expect(chooseButton(el).textContent).to.equal("Choisir parmi vos contacts");
    const picker = await openPicker(el);
    expect($(picker, "h2").textContent).to.equal("Choisir parmi vos contacts");
    expect($(picker, "label[for=q]").textContent).to.equal("Rechercher par nom ou e-mail");
    expect($(picker, ".matches").textContent).to.equal("4 personnes correspondent.");
    expect($(picker, ".select-all").textContent).to.equal("Sélectionner les 4 résultats");
    expect(options(picker)[3]!.textContent).to.contain("pas d’adresse e-mail");
    options(picker)[0]!.click();
    await picker.updateComplete;
    expect(live(picker)).to.equal("Ada Lovelace : dans la sélection, 1 sur 200.");
    expect($(picker, "#picked-count").textContent).to.equal("1 personne choisie sur 200");
    expect($(picker, ".done").textContent!.trim()).to.equal("Valider");
    await expect(picker).to.be.accessible();
  });

  it("fits a phone's 375 pixels without sideways scrolling", async () => {
    await setViewport({ width: 375, height: 700 });
    try {
      const el = await invite({
        [CONTACTS]: search,
        [GROUPS]: { body: { groups: [group(COHORT, "Cohort A with a rather long name", 2)] } },
      });
      const picker = await openPicker(el);
      await waitUntil(() => picker.shadowRoot!.querySelector(`#g-${COHORT}`));
      ($(picker, "details.groups") as HTMLDetailsElement).open = true;
      await picker.updateComplete;
      const dialog = picker.shadowRoot!.querySelector("dialog")!;
      expect(dialog.getBoundingClientRect().right).to.be.at.most(375);
      expect(dialog.scrollWidth).to.be.at.most(dialog.clientWidth);
      expect(document.documentElement.scrollWidth).to.be.at.most(375);
      // Done stays within reach.
      expect($(picker, ".done").getBoundingClientRect().bottom).to.be.at.most(700);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});

describe("what a picker's choice comes to (selection.ts)", () => {
  it("counts a person chosen alone and in a group once, and a group's members not fetched in full", () => {
    const lovelace = { id: "con_a", name: 'Ada "the Countess" Lovelace', email: "ada@example.org" };
    const turing = { id: "con_b", name: null, email: "alan@example.org" };
    const haddad = { id: "con_c", name: "Noor Haddad", email: null };
    let selection = toggleContact(toggleContact(EMPTY, lovelace), haddad);
    selection = setGroup(selection, "grp_1", { id: "grp_1", name: "Cohort", total: 2, members: [lovelace, turing] });
    selection = setGroup(selection, "grp_2", { id: "grp_2", name: "Big", total: 250, members: [] });
    const result = picked(selection);
    expect(result.contactIds).to.deep.equal(["con_a", "con_c"]);
    expect(result.groupIds).to.deep.equal(["grp_1", "grp_2"]);
    expect(result.people.map((p) => p.id)).to.have.members(["con_a", "con_b", "con_c"]);
    expect(result).to.deep.include({ unlisted: 250, count: 253, withoutEmail: 1 });
    expect(result.recipients).to.have.members(['"Ada the Countess Lovelace" <ada@example.org>', "alan@example.org"]);
    // Taking a contact or a group out again.
    const less = picked(setGroup(toggleContact(selection, lovelace), "grp_2", null));
    expect(less).to.deep.include({ contactIds: ["con_c"], groupIds: ["grp_1"], count: 3, unlisted: 0 });
  });
});
