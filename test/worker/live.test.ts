// The live channel: pages that show a session hear about every change without polling.
import { runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { api, BASE, ledger, newOrg, newSession, person, register } from "./helpers";

const connect = (sessionId: string, ip?: string) =>
  SELF.fetch(`${BASE}/v1/public/sessions/${sessionId}/live`, {
    headers: { upgrade: "websocket", ...(ip ? { "cf-connecting-ip": ip } : {}) },
  });

async function openLive(sessionId: string, ip?: string) {
  const res = await connect(sessionId, ip);
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(JSON.parse(e.data as string));
    for (const w of waiters.splice(0)) w();
  });
  ws.accept();
  const next = async (count: number) => {
    const deadline = Date.now() + 5_000;
    while (messages.length < count && Date.now() < deadline)
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    return messages[count - 1];
  };
  return { ws, messages, next };
}

describe("GET /v1/public/sessions/:id/live", () => {
  it("sends the public state at once and again after each change, without personal data", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 3 });
    const live = await openLive(s.id);
    expect((await live.next(1)).session.seats).toEqual({ capacity: 3, available: 3, waitlisted: 0, confirmed: 0 });
    await register(s.id, person(1));
    const after = await live.next(2);
    expect(after.session.seats.available).toBe(2);
    expect(JSON.stringify(after)).not.toContain("person1@example.org");
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } });
    expect((await live.next(3)).session.seats.available).toBe(1);
    live.ws.close(1000);
  });

  it("holds at most 5 sockets per client (an IPv6 /64) for one session, and refuses more with 429", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const other = await newSession(key);
    const sockets = [];
    for (let i = 1; i <= 5; i++) sockets.push(await openLive(s.id, `2001:db8:5:6::${i}`));
    const refused = await connect(s.id, "2001:db8:5:6::99");
    expect(refused.status).toBe(429);
    expect(refused.webSocket).toBeNull();
    // Another client, and the same client on another session, are not affected.
    sockets.push(await openLive(s.id, "2001:db8:5:7::1"), await openLive(other.id, "2001:db8:5:6::1"));
    // A closed socket makes room again.
    sockets[0]!.ws.close(1000);
    await vi.waitFor(async () => {
      const again = await connect(s.id, "2001:db8:5:6::42");
      expect(again.status).toBe(101);
      again.webSocket!.accept();
      again.webSocket!.close(1000);
    });
    for (const live of sockets.slice(1)) live.ws.close(1000);
  });

  it("refuses a plain request and an unknown session", async () => {
    const plain = await api("GET", "/v1/public/sessions/ses_00000000000000000000/live");
    expect(plain.status).toBe(400);
    const unknown = await SELF.fetch(`${BASE}/v1/public/sessions/ses_00000000000000000000/live`, { headers: { upgrade: "websocket" } });
    expect(unknown.status).toBe(404);
  });

  it("answers a socket that dropped (a closed tab: 1006) or closed without a code (1005) without an error", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await runInDurableObject(ledger(s.id), async (instance: SessionLedger) => {
      for (const code of [1006, 1005, 1015, 1000, 4001]) {
        const { 1: server } = new WebSocketPair();
        server.accept();
        expect(() => instance.webSocketClose(server, code), `code ${code}`).not.toThrow();
      }
    });
  });
});
