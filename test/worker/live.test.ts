// The live channel: pages that show a session hear about every change without polling.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, BASE, newOrg, newSession, person, register } from "./helpers";

async function openLive(sessionId: string) {
  const res = await SELF.fetch(`${BASE}/v1/public/sessions/${sessionId}/live`, { headers: { upgrade: "websocket" } });
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
    expect((await live.next(1)).session.seats).toEqual({ capacity: 3, available: 3, waitlisted: 0 });
    await register(s.id, person(1));
    const after = await live.next(2);
    expect(after.session.seats.available).toBe(2);
    expect(JSON.stringify(after)).not.toContain("person1@example.org");
    await api("POST", `/v1/sessions/${s.id}/invitations`, { key, body: { recipients: "ada@example.org" } });
    expect((await live.next(3)).session.seats.available).toBe(1);
    live.ws.close(1000);
  });

  it("refuses a plain request and an unknown session", async () => {
    const plain = await api("GET", "/v1/public/sessions/ses_00000000000000000000/live");
    expect(plain.status).toBe(400);
    const unknown = await SELF.fetch(`${BASE}/v1/public/sessions/ses_00000000000000000000/live`, { headers: { upgrade: "websocket" } });
    expect(unknown.status).toBe(404);
  });
});
