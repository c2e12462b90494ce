// The D1 projection writes its rows through plain-SQL upserts (a JSON array through json_each):
// every column must come back from D1 as drizzle reads it, whatever its type (text, integers,
// booleans, JSON, null), a row written again must take its new values, and rows too many for one
// statement's JSON are cut into several statements, all written.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import * as d1 from "../../worker/db/schema";
import { upsertStatements } from "../../worker/ledger/projection";
import { newOrg, newSession, registered } from "./helpers";
import { invited, ledgerStub } from "./invitation-helpers";

const db = drizzle(env.DB);

/** A session with a registration and an invitation holding a seat, all projected to D1. */
async function projected() {
  const { key } = await newOrg();
  const s = await newSession(key, { tags: ["forest", "été"], listed: false });
  const reg = await registered(s.id, { name: "Zoë Ångström", email: "zoe@example.org" });
  const inv = await invited(key, s.id, { recipients: "ada@example.org", holdSeat: true });
  expect(await ledgerStub(s.id).drain()).toEqual({ pending: 0 });
  const [session] = await db.select().from(d1.sessions).where(eq(d1.sessions.id, s.id));
  const [registration] = await db.select().from(d1.registrations).where(eq(d1.registrations.id, reg.registration.id));
  const [invitation] = await db.select().from(d1.invitations).where(eq(d1.invitations.id, inv.invitations[0].id));
  return { session: session!, registration: registration!, invitation: invitation! };
}

describe("the projection's upserts", () => {
  it("write back every column of a session, a registration and an invitation as drizzle reads it", async () => {
    const rows = await projected();
    // The fixture exercises each kind of column: JSON, booleans (true and false), integers, null.
    expect(rows.session.tags).toEqual(["forest", "été"]);
    expect(rows.session.listed).toBe(false);
    expect(rows.invitation.holdSeat).toBe(true);
    expect(Object.values(rows.registration)).toContain(null);
    await env.DB.batch([
      env.DB.prepare("delete from registrations where id = ?").bind(rows.registration.id),
      env.DB.prepare("delete from invitations where id = ?").bind(rows.invitation.id),
      env.DB.prepare("delete from sessions where id = ?").bind(rows.session.id),
    ]);

    await env.DB.batch([
      ...upsertStatements(env.DB, d1.sessions, [rows.session]),
      ...upsertStatements(env.DB, d1.registrations, [rows.registration]),
      ...upsertStatements(env.DB, d1.invitations, [rows.invitation]),
    ]);

    expect(await db.select().from(d1.sessions).where(eq(d1.sessions.id, rows.session.id))).toEqual([rows.session]);
    expect(await db.select().from(d1.registrations).where(eq(d1.registrations.id, rows.registration.id))).toEqual([rows.registration]);
    expect(await db.select().from(d1.invitations).where(eq(d1.invitations.id, rows.invitation.id))).toEqual([rows.invitation]);
  });

  it("replaces a stored row's columns with the new row's", async () => {
    const { session } = await projected();
    const next = { ...session, title: "Renamed", tags: [], listed: true, registrationOpensAt: null };

    await env.DB.batch(upsertStatements(env.DB, d1.sessions, [next]));

    expect(await db.select().from(d1.sessions).where(eq(d1.sessions.id, session.id))).toEqual([next]);
  });

  it("cuts rows too many for one statement into several, and writes them all", async () => {
    const { registration } = await projected();
    const many = Array.from({ length: 300 }, (_, i) => ({
      ...registration,
      id: `${registration.id}_${i}`,
      email: `p${i}@example.org`,
      name: `Person ${i} ${"x".repeat(2_000)}`,
      contactId: null,
    }));

    const statements = upsertStatements(env.DB, d1.registrations, many);
    await env.DB.batch(statements);

    expect(statements.length).toBeGreaterThan(1);
    const stored = await env.DB.prepare("select count(*) as n from registrations where session_id = ? and id like ?")
      .bind(registration.sessionId, `${registration.id}_%`)
      .first<{ n: number }>();
    expect(stored?.n).toBe(300);
  });

  it("refuses a row with a key that is no column", () => {
    expect(() => upsertStatements(env.DB, d1.sessions, [{ id: "ses_x", colour: "red" }])).toThrow("sessions has no column colour");
  });
});
