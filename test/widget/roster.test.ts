import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from "@open-wc/testing";
import "../../widget/roster/define";
import type { Roster } from "../../widget/api/client";
import type { RollcallRoster } from "../../widget/roster/roster";
import type { RosterGroup } from "../../worker/roster/groups";
import { $, API, mockApi, openSockets, problem, publicSession, SESSION_ID, text } from "./api-mock";

const ROSTER = `GET /v1/sessions/${SESSION_ID}/roster`;

let api: ReturnType<typeof mockApi>;
afterEach(() => api?.restore());

type Row = Roster["rows"][number];

function row(group: RosterGroup, kind: Row["kind"], id: string, name: string, status: Row["status"], extra: Partial<Row> = {}): Row {
  return {
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
    ...extra,
  };
}

function roster(rows = ROWS, seats: Partial<Roster["session"]["seats"]> = {}): { body: Roster } {
  const { seats: _, registrationCodeRequired: __, ...session } = publicSession();
  return {
    body: {
      session: {
        ...session,
        minParticipants: 6,
        maxParticipants: 20,
        hostCountsAsParticipant: false,
        registrationCode: null,
        seats: { capacity: 20, confirmed: 2, held: 2, host: 0, available: 16, waitlisted: 1, ...seats },
        capacityChanges: [],
        createdAt: "2027-04-01T10:00:00Z",
        updatedAt: "2027-04-01T10:00:00Z",
        cancelledAt: null,
      },
      rows,
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
  await waitUntil(() => el.shadowRoot!.querySelector("h2"), "the roster never showed");
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

  it("says when the minimum is reached, and keeps Confirmed even when empty", async () => {
    const el = await mount({ [ROSTER]: roster([], { confirmed: 6, held: 0, available: 14, waitlisted: 0 }) });
    expect($(el, "[part=summary]").textContent).to.contain("Minimum of 6 reached");
    expect(section(el, "Confirmed").textContent).to.contain("No one yet.");
    expect(el.shadowRoot!.querySelectorAll("section")).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it("offers the actions each row allows and refreshes after each", async () => {
    const el = await mount({
      [ROSTER]: roster(),
      "POST /v1/registrations/reg_1/cancel": { body: {} },
      "POST /v1/invitations/inv_1/resend": { body: {} },
      "POST /v1/invitations/inv_1/cancel": { body: {} },
      "POST /v1/invitations/inv_2/send": { body: {} },
    });
    expect(buttonIn(section(el, "Expired"), "Remove")).to.equal(undefined);
    expect(buttonIn(section(el, "Waitlist"), "Remove").getAttribute("aria-label")).to.equal("Remove · Grace Hopper");
    const cases: [string, string, string][] = [
      ["Confirmed", "Remove", "/v1/registrations/reg_1/cancel"],
      ["Invitations sent", "Resend", "/v1/invitations/inv_1/resend"],
      ["Invitations sent", "Cancel", "/v1/invitations/inv_1/cancel"],
      ["Invitations to send", "Send", "/v1/invitations/inv_2/send"],
    ];
    for (const [group, label, path] of cases) {
      const before = rosterCalls();
      buttonIn(section(el, group), label).click();
      await waitUntil(() => rosterCalls() === before + 1, `${label} did not refresh`);
      const action = api.calls.at(-2)!;
      expect([action.method, action.path]).to.deep.equal(["POST", path]);
      expect(action.headers.authorization).to.equal("Bearer wt_test");
    }
  });

  it("sends all 'to send' and resends all pending in bulk", async () => {
    const el = await mount({
      [ROSTER]: roster(),
      [`POST /v1/sessions/${SESSION_ID}/invitations/send`]: { body: { invitations: [], skipped: [] } },
      [`POST /v1/sessions/${SESSION_ID}/invitations/resend`]: { body: { invitations: [], skipped: [] } },
    });
    for (const [label, path] of [
      ["Send all to send (1)", "send"],
      ["Resend all pending (1)", "resend"],
    ]) {
      const before = rosterCalls();
      buttonIn($(el, "[part=toolbar]"), label!).click();
      await waitUntil(() => rosterCalls() === before + 1);
      expect(api.calls.at(-2)).to.deep.include({ method: "POST", path: `/v1/sessions/${SESSION_ID}/invitations/${path}`, body: {} });
    }
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
      buttonIn($(el, "[part=toolbar]"), "Export CSV").click();
      await waitUntil(() => clicked.length === 1, "no download");
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(clicked[0]!.download).to.equal(`roster-${SESSION_ID}.csv`);
    expect(clicked[0]!.href).to.match(/^blob:/);
    const csv = api.calls.find((c) => c.path.endsWith("roster.csv"))!;
    expect(csv.headers.authorization).to.equal("Bearer wt_test");
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
      html`<rollcall-roster session=${SESSION_ID} token-url="/backend/token" api=${API}></rollcall-roster>`,
    );
    expect(n).to.equal(2);
    expect(el.shadowRoot!.querySelectorAll("tbody tr").length).to.equal(ROWS.length);
  });

  it("erases a person after a confirmation that names them, in this session, then reloads", async () => {
    const el = await mount({
      [ROSTER]: [
        roster(),
        roster([row("confirmed", "registration", "reg_1", "", "confirmed", { email: "", flags: ["erased"] }), ...ROWS.slice(1)]),
      ],
      "POST /v1/privacy/erase": {
        body: { erasedAt: "2027-05-02T10:00:00Z", sessions: [], registrations: 1, invitations: 0, invitationsCancelled: 0, mailLog: 0 },
      },
    });
    const erase = buttonIn(section(el, "Confirmed"), "Erase");
    expect(erase.getAttribute("aria-label")).to.equal("Erase · Ada Lovelace");
    erase.click();
    await waitUntil(() => el.shadowRoot!.querySelector("dialog[open]"), "no confirmation");
    const dialog = $(el, "dialog") as HTMLDialogElement;
    expect(dialog.textContent).to.contain("Ada Lovelace (ada@example.org)");
    expect(dialog.textContent).to.contain("This cannot be undone.");
    expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal("Back");
    await expect(el).to.be.accessible();
    // Back closes it and erases nothing.
    buttonIn(dialog, "Back").click();
    expect(dialog.open).to.equal(false);
    expect(api.calls.filter((c) => c.path === "/v1/privacy/erase")).to.have.length(0);

    erase.click();
    await waitUntil(() => dialog.open);
    const before = rosterCalls();
    buttonIn(dialog, "Erase Ada Lovelace").click();
    await waitUntil(() => rosterCalls() === before + 1, "no reload after the erasure");
    expect(dialog.open).to.equal(false);
    expect(api.calls.at(-2)).to.deep.include({
      method: "POST",
      path: "/v1/privacy/erase",
      body: { email: "ada@example.org", sessionId: SESSION_ID },
    });
    expect(api.calls.at(-2)!.headers.authorization).to.equal("Bearer wt_test");
    await el.updateComplete;
    const erasedRow = section(el, "Confirmed").querySelector("tbody tr")!;
    expect(erasedRow.textContent).to.contain("Erased");
    expect(erasedRow.querySelector("[part=flag]")!.textContent).to.equal("Personal data erased");
    expect(buttonIn(erasedRow, "Erase")).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it("shows a refused erasure and keeps the row", async () => {
    const el = await mount({ [ROSTER]: roster(), "POST /v1/privacy/erase": problem(403, "forbidden") });
    buttonIn(section(el, "Expired"), "Erase").click();
    await waitUntil(() => el.shadowRoot!.querySelector("dialog[open]"), "no confirmation");
    const dialog = $(el, "dialog") as HTMLDialogElement;
    expect(dialog.textContent).to.contain("Donald Knuth (donald@example.org)");
    const failed = oneEvent(el, "rollcall-error");
    buttonIn(dialog, "Erase Donald Knuth").click();
    expect((await failed).detail.code).to.equal("forbidden");
    await waitUntil(() => $(el, "[part=error]").textContent === "This token does not allow that.");
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
