// The ledger's mail outbox against a queue with Cloudflare's limits (100 messages and 256 KB per
// sendBatch, 128 KB per message): a big invitation goes out in bundles, an email the queue refuses
// moves aside instead of blocking the others, and the roster says what waits and what failed.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bundleOf, type MailBundle, type MailMessage, type QueuedMail } from "../../worker/email/message";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { manualClock } from "../../worker/time/clock";
import { newOrg, newSession, roster } from "./helpers";
import { invited, ledgerStub, listInvitations, outboxMail } from "./invitation-helpers";

const KB = 1024;
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/** A mail queue that refuses what Cloudflare Queues refuse, plus whatever `refuse` says. */
function strictQueue(refuse: (m: MailMessage) => boolean = () => false) {
  const bundles: MailBundle[] = [];
  const calls: { messages: number; bytes: number; ok: boolean }[] = [];
  let down = false;
  const queue = {
    sendBatch: async (requests: Iterable<MessageSendRequest<QueuedMail>>) => {
      const list = [...requests];
      const total = list.reduce((sum, r) => sum + bytes(r.body), 0);
      const ok =
        !down &&
        list.length <= 100 &&
        total <= 256 * KB &&
        list.every((r) => bytes(r.body) <= 128 * KB && !bundleOf(r.body).messages.some(refuse));
      calls.push({ messages: list.length, bytes: total, ok });
      if (!ok) throw new Error(down ? "Queue unavailable" : "Queue send failed: message or batch too large, or refused");
      bundles.push(...list.map((r) => bundleOf(r.body)));
    },
  };
  return {
    queue,
    bundles,
    calls,
    emails: () => bundles.flatMap((b) => b.messages),
    setDown: (value: boolean) => {
      down = value;
    },
  };
}

async function useQueue(sessionId: string, queue: ReturnType<typeof strictQueue>["queue"]) {
  await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    instance.mailQueue = queue as unknown as SessionLedger["mailQueue"];
  });
}

async function sessionWithQueue(queue: ReturnType<typeof strictQueue>["queue"], seats = 120) {
  const { key } = await newOrg();
  const s = await newSession(key, { maxParticipants: seats });
  await useQueue(s.id, queue);
  return { key, sessionId: s.id as string };
}

describe("the ledger's mail outbox", () => {
  it("hands a 100-recipient invitation with a 2,000-character message to the queue, within its limits", async () => {
    const strict = strictQueue();
    const { key, sessionId } = await sessionWithQueue(strict.queue);
    const recipients = Array.from({ length: 100 }, (_, i) => `big${i}@example.org`).join(", ");
    await invited(key, sessionId, { recipients, send: "now", message: "Été à la forêt ! ".repeat(118).slice(0, 2000) });
    await ledgerStub(sessionId).drain();

    expect(strict.emails().filter((m) => m.template === "invitation")).toHaveLength(100);
    expect(new Set(strict.emails().map((m) => m.to)).size).toBe(100);
    expect(strict.calls.every((c) => c.ok)).toBe(true);
    expect(strict.bundles.length).toBeGreaterThan(1);
    expect(Math.max(...strict.bundles.map(bytes))).toBeLessThanOrEqual(128 * KB);
    expect(await outboxMail(sessionId)).toEqual([]);
    expect((await roster(key, sessionId)).mail).toEqual({ waiting: 0, failed: 0 });
  });

  it("moves aside an email the queue refuses on its own, and sends the others behind it", async () => {
    const strict = strictQueue((m) => m.to === "refused@example.org");
    const { key, sessionId } = await sessionWithQueue(strict.queue);
    const addresses = ["first@example.org", "refused@example.org", "third@example.org", "fourth@example.org", "fifth@example.org"];
    await invited(key, sessionId, { recipients: addresses.join(", "), send: "now" });
    await ledgerStub(sessionId).drain();

    expect(
      strict
        .emails()
        .map((m) => m.to)
        .sort(),
    ).toEqual(addresses.filter((a) => a !== "refused@example.org").sort());
    expect(await outboxMail(sessionId)).toEqual([]);
    const after = await roster(key, sessionId);
    expect(after.mail).toEqual({ waiting: 0, failed: 1 });
    const refused = after.rows.find((r: any) => r.email === "refused@example.org");
    expect(refused).toMatchObject({ delivery: "failed", flags: ["delivery_failed"] });
    // Later emails are not held up by the dead one either.
    await invited(key, sessionId, { recipients: "later@example.org", send: "now" });
    await ledgerStub(sessionId).drain();
    expect(strict.emails().map((m) => m.to)).toContain("later@example.org");
  });

  it("moves aside at once an email too large for any queue message", async () => {
    const strict = strictQueue();
    const { key, sessionId } = await sessionWithQueue(strict.queue);
    await invited(key, sessionId, { recipients: "normal@example.org", send: "now" });
    // Nothing the API accepts is this large; the outbox is written directly.
    await runInDurableObject(ledgerStub(sessionId), (_instance: SessionLedger, state) => {
      const huge = {
        id: "msg_huge",
        template: "promoted",
        to: "huge@example.org",
        locale: "en",
        sessionId,
        data: { padding: "x".repeat(130 * KB) },
      };
      state.storage.sql.exec("insert into mail_outbox (message, created_at) values (?, ?)", JSON.stringify(huge), new Date().toISOString());
    });
    await ledgerStub(sessionId).drain();
    expect(strict.emails().map((m) => m.to)).toEqual(["normal@example.org"]);
    expect(strict.calls.every((c) => c.ok)).toBe(true); // it was never even tried
    expect((await roster(key, sessionId)).mail).toEqual({ waiting: 0, failed: 1 });
  });

  it("keeps every email while the queue is down, says how many wait once they are stuck, and sends them when it is back", async () => {
    const strict = strictQueue();
    strict.setDown(true);
    const { key, sessionId } = await sessionWithQueue(strict.queue);
    const clock = manualClock(new Date());
    await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
      instance.clock = clock;
    });
    await invited(key, sessionId, { recipients: "w1@example.org, w2@example.org, w3@example.org", send: "now" });
    await ledgerStub(sessionId).drain();
    expect(strict.calls.length).toBeLessThanOrEqual(4); // an outage is recognised in a few calls, not probed email by email
    expect(await outboxMail(sessionId)).toHaveLength(3);
    expect((await roster(key, sessionId)).mail).toEqual({ waiting: 0, failed: 0 }); // not stuck yet

    clock.advance(2 * 60_000);
    expect((await roster(key, sessionId)).mail).toEqual({ waiting: 3, failed: 0 });
    expect(new Set((await listInvitations(key, sessionId)).map((i) => i.delivery))).toEqual(new Set(["queued"]));

    strict.setDown(false);
    await ledgerStub(sessionId).drain();
    expect(
      strict
        .emails()
        .map((m) => m.to)
        .sort(),
    ).toEqual(["w1@example.org", "w2@example.org", "w3@example.org"]);
    expect((await roster(key, sessionId)).mail).toEqual({ waiting: 0, failed: 0 });
  });
});
