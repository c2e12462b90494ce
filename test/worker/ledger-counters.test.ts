// The ledger keeps its seat counts as counters, adjusted in the same transaction as every write.
// Random histories of joins (confirmed by email or not), provider adds, invitations (holding a seat
// or not, sent now or kept "to send"), acceptances, declines, cancellations, email confirmations,
// capacity changes and the clock running past expiries and lapses check after every step that the
// counters equal what the pure rules say of the rows (`occupies` for registrations, `holdsSeat` for
// invitations, at the ledger's clock) and what SQL counts, that the waiting places it keeps per
// client (the per-client cap's count) equal SQL's, and that the seat invariant 0 ≤ taken ≤ capacity holds.
import { runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holdsSeat } from "../../worker/invitations/lifecycle";
import type { InvitationStatus } from "../../worker/invitations/statuses";
import type { SessionLedger } from "../../worker/ledger/ledger";
import migration from "../../worker/ledger/migrations/0003_counters_and_versions.sql";
import { PreparedWrites } from "../../worker/ledger/prepared";
import * as t from "../../worker/ledger/schema";
import type { LedgerStore } from "../../worker/ledger/store";
import { occupies } from "../../worker/registrations/decide";
import type { RegistrationStatus } from "../../worker/registrations/statuses";
import { taken } from "../../worker/sessions/seats";
import { manualClock } from "../../worker/time/clock";
import { api, ledger, newOrg, newSession, register } from "./helpers";
import { captureMail, mailSoFar, tokenOf } from "./invitation-helpers";

const HOUR = 3_600_000;

type Step =
  | { op: "join"; who: number; client: number | null }
  | { op: "add"; who: number; over: boolean }
  | { op: "invite"; who: number[]; hold: boolean; later: boolean; days: number; over: boolean }
  | { op: "send" }
  | { op: "accept" | "decline" | "cancelInvitation" | "cancelRegistration"; pick: number }
  | { op: "capacity"; to: number }
  | { op: "confirm"; pick: number }
  | { op: "wait"; hours: number };

const who = fc.integer({ min: 0, max: 14 });
const step: fc.Arbitrary<Step> = fc.oneof(
  // From one of three networks (the per-client cap counts their waiting places), or from none.
  fc.record({ op: fc.constant("join" as const), who, client: fc.option(fc.integer({ min: 0, max: 2 })) }),
  fc.record({ op: fc.constant("add" as const), who, over: fc.boolean() }),
  fc.record({
    op: fc.constant("invite" as const),
    who: fc.array(who, { minLength: 1, maxLength: 4 }),
    hold: fc.boolean(),
    later: fc.boolean(),
    days: fc.integer({ min: 1, max: 3 }),
    over: fc.boolean(),
  }),
  fc.record({ op: fc.constant("send" as const) }),
  fc.record({
    op: fc.constantFrom("accept" as const, "decline" as const, "cancelInvitation" as const, "cancelRegistration" as const),
    pick: fc.nat(),
  }),
  fc.record({ op: fc.constant("capacity" as const), to: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant("confirm" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 40 }) }),
);

const email = (i: number) => `person${i}@example.org`;

type Rows = {
  registrations: { id: string; email: string; status: RegistrationStatus; waitlistSeq: number | null }[];
  invitations: { id: string; status: InvitationStatus; holdSeat: boolean; expiresAt: string | null }[];
};

/** The ledger's rows, straight from its tables. */
function rowsOf(state: DurableObjectState): Rows {
  const sql = state.storage.sql;
  return {
    registrations: sql
      .exec<{ id: string; email: string; status: RegistrationStatus; waitlist_seq: number | null }>(
        "select id, email, status, waitlist_seq from registrations order by rowid",
      )
      .toArray()
      .map((r) => ({ id: r.id, email: r.email, status: r.status, waitlistSeq: r.waitlist_seq })),
    invitations: sql
      .exec<{ id: string; status: InvitationStatus; hold_seat: number; expires_at: string | null }>(
        "select id, status, hold_seat, expires_at from invitations order by rowid",
      )
      .toArray()
      .map((r) => ({ id: r.id, status: r.status, holdSeat: r.hold_seat === 1, expiresAt: r.expires_at })),
  };
}

async function apply(s: { id: string }, key: string, clock: ReturnType<typeof manualClock>, mail: any[], step: Step): Promise<void> {
  const stub = ledger(s.id);
  const rows = await runInDurableObject(stub, (_i: SessionLedger, state) => rowsOf(state));
  const pick = <T>(list: T[], n: number) => (list.length ? list[n % list.length] : undefined);
  switch (step.op) {
    case "join":
      await register(
        s.id,
        { name: `Person ${step.who}`, email: email(step.who) },
        step.client === null ? {} : { "cf-connecting-ip": `198.51.100.${step.client}` },
      );
      return;
    case "add":
      await api("POST", `/v1/sessions/${s.id}/registrations`, {
        key,
        body: { name: `Person ${step.who}`, email: email(step.who), allowOverCapacity: step.over },
      });
      return;
    case "invite":
      await api("POST", `/v1/sessions/${s.id}/invitations`, {
        key,
        body: {
          recipients: step.who.map(email),
          holdSeat: step.hold,
          send: step.later ? "later" : "now",
          expiresInDays: step.days,
          allowOverCapacity: step.over,
        },
      });
      return;
    case "send":
      await api("POST", `/v1/sessions/${s.id}/invitations/send`, { key, body: {} });
      return;
    case "accept":
    case "decline": {
      const inv = pick(rows.invitations, step.pick);
      if (!inv) return;
      const token = await tokenOf(s.id, inv.id);
      await api("POST", `/v1/invites/${encodeURIComponent(token)}/${step.op}`, { body: {} });
      return;
    }
    case "cancelInvitation": {
      const inv = pick(rows.invitations, step.pick);
      if (inv) await api("POST", `/v1/invitations/${inv.id}/cancel`, { key });
      return;
    }
    case "cancelRegistration": {
      const r = pick(rows.registrations, step.pick);
      if (r) await api("POST", `/v1/registrations/${r.id}/cancel`, { key });
      return;
    }
    case "capacity":
      await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { maxParticipants: step.to } });
      return;
    case "confirm": {
      // Someone awaiting confirmation follows the link in their email.
      const r = pick(
        rows.registrations.filter((r) => r.status === "pending_confirmation"),
        step.pick,
      );
      const request = r && (await mailSoFar(s.id, mail)).findLast((m) => m.template === "confirm_registration" && m.to === r.email);
      if (request) await ledger(s.id).confirmWithLink(decodeURIComponent(request.data.link.split("/c/")[1]));
      return;
    }
    case "wait":
      clock.advance(step.hours * HOUR);
      return;
  }
}

/** The counters, the pure rules over the rows, and SQL's own counts, at the ledger's clock. */
async function countsNow(sessionId: string) {
  return runInDurableObject(ledger(sessionId), (instance: SessionLedger, state) => {
    instance.readPublic(); // brings the ledger up to its clock, as every request does
    const store = (instance as unknown as { store: LedgerStore }).store;
    const s = store.sessionRecord()!;
    const now = instance.clock.now();
    const rows = rowsOf(state);
    const rule = {
      confirmed: rows.registrations.filter((r) => occupies(r) === "seat").length,
      waitlisted: rows.registrations.filter((r) => occupies(r) === "waitlist").length,
      held: rows.invitations.filter((inv) => holdsSeat(inv, now)).length + rows.registrations.filter((r) => occupies(r) === "hold").length,
    };
    const one = (query: string) => state.storage.sql.exec<{ n: number }>(query).one().n;
    const sql = {
      confirmed: one("select count(*) as n from registrations where status = 'confirmed'"),
      waitlisted: one("select count(*) as n from registrations where status = 'waitlisted'"),
      held:
        one(
          `select count(*) as n from invitations where hold_seat = 1 and status in ('draft', 'scheduled', 'sent')
           and (expires_at is null or expires_at > '${now.toISOString()}')`,
        ) +
        one(
          `select count(*) as n from registrations where status = 'pending_confirmation' and waitlist_seq is null
           and confirm_expires_at > '${now.toISOString()}'`,
        ),
    };
    // The per-client waiting places the store keeps (once it has counted them) against SQL's count.
    const clients = state.storage.sql
      .exec<{ client_key: string }>("select distinct client_key from registrations where client_key is not null")
      .toArray()
      .map((r) => r.client_key);
    const waiting = {
      kept: Object.fromEntries(clients.map((c) => [c, store.waitingFromClient(c)])),
      sql: Object.fromEntries(
        clients.map((c) => [
          c,
          one(
            `select count(*) as n from registrations where client_key = '${c}'
             and status in ('waitlisted', 'pending_confirmation', 'pending_payment')`,
          ),
        ]),
      ),
    };
    return { counters: store.counts(), rule, sql, waiting, capacity: s.capacity, taken: taken(s, store.counts()) };
  });
}

describe("the ledger's seat counters", () => {
  it("equal the pure seat rule and SQL's counts after every step of random histories", async () => {
    const { key } = await newOrg();
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        async (steps, waitlist, confirmByEmail) => {
          const s = await newSession(key, { maxParticipants: 4, minParticipants: 1, waitlist, confirmByEmail });
          const mail = await captureMail(s.id);
          const clock = manualClock(new Date());
          await runInDurableObject(ledger(s.id), (instance: SessionLedger) => {
            instance.clock = clock;
          });
          for (const st of steps) {
            await apply(s, key, clock, mail, st);
            const { counters, rule, sql, waiting, capacity, taken } = await countsNow(s.id);
            const context = JSON.stringify({ step: st, steps });
            expect(counters, context).toEqual(rule);
            expect(counters, context).toEqual(sql);
            expect(waiting.kept, context).toEqual(waiting.sql);
            expect(taken, context).toBeLessThanOrEqual(capacity);
            expect(taken, context).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it("are what the migration of an older ledger computes from its rows", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 4, minParticipants: 1, waitlist: true });
    for (let i = 0; i < 3; i++) await register(s.id, { name: `P ${i}`, email: email(i) });
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: [email(7)] } });
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: [email(8)], holdSeat: false, send: "later" } });
    for (let i = 3; i < 5; i++) await register(s.id, { name: `P ${i}`, email: email(i) });
    const columns = "confirmed_count, waitlisted_count, held_count, pending_invitation_count, last_waitlist_seq";
    const { kept, recounted } = await runInDurableObject(ledger(s.id), (_i: SessionLedger, state) => {
      const sql = state.storage.sql;
      const kept = sql.exec(`select ${columns} from session`).one();
      // What an older ledger looks like to the migration: rows, no counters, the old outbox table.
      const counting = migration.split("--> statement-breakpoint").find((part) => part.includes("UPDATE `session`"))!;
      sql.exec("create table projection_outbox (kind text, entity_id text)");
      sql.exec(
        "update session set confirmed_count = 0, waitlisted_count = 0, held_count = 0, pending_invitation_count = 0, last_waitlist_seq = 0",
      );
      sql.exec(counting);
      sql.exec("drop table projection_outbox");
      return { kept, recounted: sql.exec(`select ${columns} from session`).one() };
    });
    expect(kept).toEqual({ confirmed_count: 3, waitlisted_count: 2, held_count: 1, pending_invitation_count: 2, last_waitlist_seq: 2 });
    expect(recounted).toEqual(kept);
  });
});

describe("a public registration", () => {
  // Its row, its email in the mail outbox, the session's counters, and its webhook event, written
  // in the same transaction so that it is never lost (ledger/store.ts writeOutgoing). Nothing is
  // looked up first: the insert itself refuses an address already registered.
  it("runs at most 4 SQL statements in its transaction, confirmed or waitlisted, from a known client or not", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 3, minParticipants: 1, waitlist: true });
    const counts: number[] = [];
    for (let i = 0; i < 8; i++) {
      // Called on the object itself, so that nothing else (the drain a moment later) runs between.
      // Every other one from one of two networks, whose waiting places the per-client cap counts.
      const client = i % 2 ? `198.51.100.${i % 4}` : null;
      const { status, statements } = await runInDurableObject(ledger(s.id), async (instance: SessionLedger) => {
        const store = (instance as unknown as { store: LedgerStore }).store;
        const before = store.statements;
        const result = await instance.register({ name: `P ${i}`, email: email(i) }, { client });
        const statements = store.recentStatements.slice(store.recentStatements.length - (store.statements - before));
        return { status: result.ok ? result.value.registration.status : result.error.code, statements };
      });
      expect(status).toBe(i < 3 ? "confirmed" : "waitlisted");
      counts.push(statements.length);
      // The first waitlisted registration from a client after the object started counts every
      // client's waiting places once (as the first request reads the session row once); from then
      // on the store keeps those counts with its writes.
      expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(i === 3 ? 5 : 4);
      // The session row's update writes what the registration changed (its counters, the waitlist's
      // last place, the calendar's sequence) and the row's version, not the session's other columns.
      const update = statements.find((q) => q.startsWith('update "session"'));
      expect(update).not.toContain('"title"');
      expect(update?.match(/"[a-z_]+" = \?/g)?.length, update).toBeLessThanOrEqual(8);
    }
    expect(
      counts.slice(4).every((n) => n <= 4),
      counts.join(","),
    ).toBe(true);

    // The same address again, confirmed or waitlisted: refused, and nothing written.
    for (const i of [0, 4]) {
      const again = await runInDurableObject(ledger(s.id), async (instance: SessionLedger) => {
        const store = (instance as unknown as { store: LedgerStore }).store;
        const before = { counts: store.counts(), rows: store.activeRegistrations().length };
        const result = await instance.register({ name: `P ${i} again`, email: email(i).toUpperCase() });
        return {
          code: result.ok ? result.value.registration.status : result.error.code,
          before,
          after: { counts: store.counts(), rows: store.activeRegistrations().length },
        };
      });
      expect(again.code).toBe("already_registered");
      expect(again.after).toEqual(again.before);
    }
  });
});

describe("the rows a public registration writes", () => {
  // Its statements are built once and then run with each registration's values (ledger/prepared.ts):
  // the rows must be what drizzle's own insert or update of the same values writes, json as text
  // and null as null (not the text 'null'), booleans as 0 and 1.
  it("are what drizzle writes for the same values", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: true });
    await register(s.id, { name: "With answers", email: email(0), answers: { diet: "veg", note: "a\nb" } });
    await register(s.id, { name: "Without", email: email(1) });
    const result = await runInDurableObject(ledger(s.id), (instance: SessionLedger, state) => {
      const store = (instance as unknown as { store: LedgerStore }).store;
      const sql = state.storage.sql;
      const raw = (table: string, where: string, ...bindings: unknown[]) =>
        sql.exec(`select * from ${table} where ${where}`, ...bindings).one() as Record<string, unknown>;
      const written = sql.exec<{ id: string }>("select id from registrations order by rowid").toArray();
      const registrations = written.map(({ id }, i) => {
        // The same record again through drizzle's insert, under other unique values.
        const record = store.registration(id)!;
        const copy = { ...record, id: `${id}_copy`, emailKey: `copy-${i}`, manageTokenHash: `copy-${i}`, confirmTokenHash: null };
        store.db.insert(t.registrations).values(copy).run();
        return { prepared: raw("registrations", "id = ?", id), plain: raw("registrations", "id = ?", copy.id) };
      });
      const outbox = (table: "mail_outbox" | "event_outbox", drizzleTable: typeof t.mailOutbox | typeof t.eventOutbox) => {
        const last = sql.exec<{ id: number }>(`select max(id) as id from ${table}`).one().id;
        const { id: _id, ...row } = store.db.select().from(drizzleTable).where(eq(drizzleTable.id, last)).get()!;
        store.db
          .insert(drizzleTable)
          .values(row as typeof t.eventOutbox.$inferInsert)
          .run();
        const { id: _p, ...prepared } = raw(table, "id = ?", last);
        const { id: _c, ...plain } = raw(table, "id = ?", last + 1);
        return { prepared, plain };
      };
      const mail = outbox("mail_outbox", t.mailOutbox);
      const events = outbox("event_outbox", t.eventOutbox);
      // The session row: a patch of nulls, a boolean and json through the prepared update, then the
      // same values through drizzle's update.
      const set = { location: null, form: null, tags: ["a", "b"], waitlist: false, calendarSequence: 7 };
      store.transaction(() => store.patchSession(set));
      const prepared = raw("session", "1 = 1");
      store.db
        .update(t.session)
        .set({ ...set, version: prepared.version as number })
        .run();
      const session = { prepared, plain: raw("session", "1 = 1") };
      return { registrations, mail, events, session };
    });
    const [answered, unanswered] = result.registrations as [(typeof result.registrations)[0], (typeof result.registrations)[0]];
    expect(answered.prepared).toMatchObject({
      status: "confirmed",
      answers: JSON.stringify({ diet: "veg", note: "a\nb" }),
      waitlist_seq: null,
    });
    expect(unanswered.prepared).toMatchObject({ status: "waitlisted", answers: null, waitlist_seq: 1, invitation_id: null });
    for (const { prepared, plain } of result.registrations) {
      const unique = ["id", "email_key", "manage_token_hash", "confirm_token_hash"];
      const rest = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([k]) => !unique.includes(k)));
      expect(rest(prepared)).toEqual(rest(plain));
    }
    expect(typeof result.mail.prepared.message).toBe("string");
    expect(JSON.parse(result.mail.prepared.message as string)).toMatchObject({ template: "waitlisted", to: email(1) });
    expect(result.mail.prepared).toEqual(result.mail.plain);
    expect(JSON.parse(result.events.prepared.data as string)).toMatchObject({ status: "waitlisted", email: email(1), promotedAt: null });
    expect(result.events.prepared).toEqual(result.events.plain);
    expect(result.session.prepared).toMatchObject({ location: null, form: null, tags: '["a","b"]', waitlist: 0, calendar_sequence: 7 });
    expect(result.session.prepared).toEqual(result.session.plain);
  });

  // A default computed in JavaScript would be computed once, when the statement is built, and
  // then written into every row: a table with one is refused at its first write, before any SQL.
  it("refuse a table whose column has a default computed in JavaScript", () => {
    const withDefault = sqliteTable("with_default", { id: text("id").primaryKey(), stamp: text("stamp").$defaultFn(() => "now") });
    const writes = new PreparedWrites(null as never, null as never);
    expect(() => writes.insert(withDefault, { id: "a", stamp: "given" })).toThrow(
      /with_default\.stamp has a default computed in JavaScript/,
    );
  });
});

describe("the earliest lapse of a hold", () => {
  it("is seen again when a registration begins to hold by an update, earlier than the hold it knew", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 5, minParticipants: 1, waitlist: true, confirmByEmail: true });
    // One registration awaiting its email confirmation, one added by the provider.
    await register(s.id, { name: "Awaiting", email: email(1) });
    const added = await api("POST", `/v1/sessions/${s.id}/registrations`, { key, body: { name: "Added", email: email(2) } });
    expect(added.status).toBe(201);
    const { known, seen } = await runInDurableObject(ledger(s.id), (instance: SessionLedger) => {
      const store = (instance as unknown as { store: LedgerStore }).store;
      const known = store.earliestHoldExpiry();
      // The added one now awaits a payment, its hold lapsing in a minute: before the other's.
      const before = store.registration(added.body.id)!;
      const lapses = new Date(instance.clock.now().getTime() + 60_000).toISOString();
      store.transaction(() => store.updateRegistration(before, { ...before, status: "pending_payment", confirmExpiresAt: lapses }));
      return { known, seen: { at: store.earliestHoldExpiry(), lapses } };
    });
    expect(known).not.toBeNull();
    expect(known! > seen.lapses).toBe(true);
    expect(seen.at).toBe(seen.lapses);
  });
});
