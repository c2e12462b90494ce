// Invitations where providers read them: the roster's groups and its CSV, and the D1 projection
// that lists them across sessions.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { ROSTER_COLUMNS } from "../../worker/roster/csv";
import { manualClock } from "../../worker/time/clock";
import { api, newOrg, newSession, roster } from "./helpers";
import { invited, ledgerStub, linkClient, listInvitations, tokenOf } from "./invitation-helpers";

/** One invitation in every state a roster shows, and one that became a registration. */
async function sessionWithEveryKind() {
  const { key, orgId } = await newOrg();
  const s = await newSession(key, { maxParticipants: 10 });
  const one = async (recipients: string, extra: Record<string, unknown> = {}) =>
    (await invited(key, s.id, { recipients, ...extra })).invitations[0];
  const inv = {
    sent: await one("Ada <ada@example.org>"),
    plain: await one("Gus <gus@example.org>", { holdSeat: false }),
    draft: await one("Bob <bob@example.org>", { send: "later" }),
    scheduled: await one("Cy <cy@example.org>", { sendAt: new Date(Date.now() + 5 * 86_400_000).toISOString() }),
    cancelled: await one("Dan <dan@example.org>"),
    declined: await one("Eve <eve@example.org>"),
    accepted: await one("Fay <fay@example.org>"),
  };
  const browser = linkClient();
  expect((await api("POST", `/v1/invitations/${inv.cancelled.id}/cancel`, { key })).status).toBe(200);
  expect((await browser.decline(await tokenOf(s.id, inv.declined.id))).status).toBe(200);
  const accepted = await browser.accept(await tokenOf(s.id, inv.accepted.id), {});
  expect(accepted.status).toBe(201);
  return { key, orgId, s, inv, registrationId: accepted.body.registration.id as string };
}

describe("GET /v1/sessions/:id/roster with invitations", () => {
  it("groups invitations as sent, to send and closed, with their delivery, after the participants", async () => {
    const { key, s, inv, registrationId } = await sessionWithEveryKind();
    // The invitation emails are delivered in the background, and their reports change the
    // invitations' delivery: let them land first (the comparison raced the queue consumer).
    await expect
      .poll(async () => (await listInvitations(key, s.id)).filter((i: { delivery: string | null }) => i.delivery === "queued").length, {
        timeout: 20_000,
      })
      .toBe(0);
    const stub = ledgerStub(s.id);
    expect((await stub.recordDelivery(inv.sent.id, "delivered", new Date().toISOString())).ok).toBe(true);
    expect((await stub.recordDelivery(inv.plain.id, "bounced", new Date().toISOString())).ok).toBe(true);

    const { session, rows } = await roster(key, s.id);
    expect(rows.map((r) => [r.group, r.kind, r.email, r.status, r.source, r.delivery, r.flags])).toEqual([
      ["confirmed", "registration", "fay@example.org", "confirmed", "invitation", null, []],
      ["invitations_sent", "invitation", "ada@example.org", "sent", "invitation_holding_seat", "delivered", []],
      ["invitations_sent", "invitation", "gus@example.org", "sent", "invitation", "bounced", ["bounced"]],
      ["invitations_to_send", "invitation", "bob@example.org", "draft", "invitation_holding_seat", null, []],
      ["invitations_to_send", "invitation", "cy@example.org", "scheduled", "invitation_holding_seat", null, []],
      ["closed", "invitation", "dan@example.org", "cancelled", "invitation_holding_seat", "sent", []],
      ["closed", "invitation", "eve@example.org", "declined", "invitation_holding_seat", "sent", []],
    ]);
    expect(rows[0]).toMatchObject({ id: registrationId, name: "Fay", invitedEmail: "fay@example.org" });
    expect(rows.find((r) => r.id === inv.sent.id)).toMatchObject({ name: "Ada", invitedEmail: "ada@example.org", kind: "invitation" });
    // A scheduled invitation says when it goes; no other row has a time to send.
    expect(rows.find((r) => r.id === inv.scheduled.id)?.sendAt).toBe(inv.scheduled.sendAt);
    expect(rows.filter((r) => r.sendAt !== null).map((r) => r.id)).toEqual([inv.scheduled.id]);
    // Held: Ada (sent), Bob (to send), Cy (scheduled); Gus's plain invitation holds nothing.
    expect(session.seats).toMatchObject({ capacity: 10, confirmed: 1, held: 3, available: 6 });
  });

  it("moves an invitation to closed as expired once its time is up, before any alarm", async () => {
    const { key, s, inv } = await sessionWithEveryKind();
    await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      instance.clock = manualClock(new Date(Date.parse(inv.sent.expiresAt) + 1000));
    });
    const { session, rows } = await roster(key, s.id);
    expect(rows.find((r) => r.id === inv.sent.id)).toMatchObject({ group: "closed", status: "expired" });
    expect(rows.find((r) => r.id === inv.draft.id)).toMatchObject({ group: "invitations_to_send", status: "draft" });
    expect(session.seats.held).toBe(2);
  });

  it("includes the invitations in the CSV, one line each, with group, status and delivery", async () => {
    const { key, s, inv } = await sessionWithEveryKind();
    const res = await fetchCsv(key, s.id);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, ...lines] = res.text
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(header).toBe(ROSTER_COLUMNS.join(","));
    const records = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [ROSTER_COLUMNS[i], v])));
    expect(records.map((r) => [r.group, r.email, r.status, r.source, r.delivery, r.invited_email])).toEqual([
      ["confirmed", "fay@example.org", "confirmed", "invitation", "", "fay@example.org"],
      ["invitations_sent", "ada@example.org", "sent", "invitation_holding_seat", "queued", "ada@example.org"],
      ["invitations_sent", "gus@example.org", "sent", "invitation", "queued", "gus@example.org"],
      ["invitations_to_send", "bob@example.org", "draft", "invitation_holding_seat", "", "bob@example.org"],
      ["invitations_to_send", "cy@example.org", "scheduled", "invitation_holding_seat", "", "cy@example.org"],
      ["closed", "dan@example.org", "cancelled", "invitation_holding_seat", "queued", "dan@example.org"],
      ["closed", "eve@example.org", "declined", "invitation_holding_seat", "queued", "eve@example.org"],
    ]);
    expect(records.find((r) => r.email === "ada@example.org")!.created_at).toBe(inv.sent.createdAt);
  });

  it("defuses a name that a spreadsheet would run as a formula", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await invited(key, s.id, { recipients: '"=SUM(A1:A2)" <ada@example.org>, "+cmd" <bob@example.org>' });
    const { text } = await fetchCsv(key, s.id);
    expect(text).not.toMatch(/(^|,)[=+]/m);
    expect(text).toContain("'=SUM(A1:A2)");
    expect(text).toContain("'+cmd");
  });
});

async function fetchCsv(key: string, sessionId: string) {
  const res = await api("GET", `/v1/sessions/${sessionId}/roster.csv`, { key });
  expect(res.status).toBe(200);
  return { headers: res.headers, text: res.body as string };
}

type ProjectedInvitation = {
  id: string;
  session_id: string;
  org_id: string;
  email: string;
  name: string | null;
  status: string;
  delivery: string | null;
  hold_seat: number;
  sent_at: string | null;
  expires_at: string | null;
};

async function projected(sessionId: string): Promise<ProjectedInvitation[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, session_id, org_id, email, name, status, delivery, hold_seat, sent_at, expires_at FROM invitations WHERE session_id = ? ORDER BY created_at, id",
  )
    .bind(sessionId)
    .all<ProjectedInvitation>();
  return results;
}

describe("the D1 projection of invitations", () => {
  it("holds every invitation with its status once the ledger has drained", async () => {
    const { key, orgId, s, inv, registrationId } = await sessionWithEveryKind();
    expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });
    const rows = await projected(s.id);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows).toHaveLength(7);
    for (const view of await listInvitations(key, s.id)) {
      expect(byId.get(view.id), view.email).toEqual({
        id: view.id,
        session_id: s.id,
        org_id: orgId,
        email: view.email,
        name: view.name,
        status: view.status,
        delivery: view.delivery,
        hold_seat: view.holdSeat ? 1 : 0,
        sent_at: view.sentAt,
        expires_at: view.expiresAt,
      });
    }
    expect(Object.fromEntries(Object.entries(inv).map(([kind, i]) => [kind, byId.get(i.id)!.status]))).toEqual({
      sent: "sent",
      plain: "sent",
      draft: "draft",
      scheduled: "scheduled",
      cancelled: "cancelled",
      declined: "declined",
      accepted: "accepted",
    });
    const registration = await env.DB.prepare("SELECT status, invitation_id, email FROM registrations WHERE id = ?")
      .bind(registrationId)
      .first();
    expect(registration).toEqual({ status: "confirmed", invitation_id: inv.accepted.id, email: "fay@example.org" });
  });

  it("follows later changes: a send, a cancel", async () => {
    const { key, s, inv } = await sessionWithEveryKind();
    await ledgerStub(s.id).drain();
    await api("POST", `/v1/invitations/${inv.draft.id}/send`, { key });
    await api("POST", `/v1/invitations/${inv.sent.id}/cancel`, { key });
    expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });
    const byId = new Map((await projected(s.id)).map((r) => [r.id, r]));
    expect(byId.get(inv.draft.id)).toMatchObject({
      status: "sent",
      delivery: "queued",
      sent_at: expect.any(String),
      expires_at: expect.any(String),
    });
    expect(byId.get(inv.sent.id)).toMatchObject({ status: "cancelled" });
    const session = await env.DB.prepare("SELECT confirmed, held, available FROM sessions WHERE id = ?").bind(s.id).first();
    expect(session).toEqual({ confirmed: 1, held: 2, available: 7 });
  });

  it("projects 200 invitations of one request", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 300 });
    const created = await invited(key, s.id, { recipients: Array.from({ length: 200 }, (_, i) => `bulk${i}@example.org`), send: "later" });
    expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });
    const rows = await projected(s.id);
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(created.invitations.map((i) => i.id)));
    expect(rows.every((r) => r.status === "draft" && r.hold_seat === 1)).toBe(true);
  });
});
