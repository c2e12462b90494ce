// Contact events: written to D1's webhook outbox in the batch that creates or deactivates the
// contact (so a refused write announces nothing), sent to the webhook queue right after the
// request, and left in the outbox for the next sweep when the queue fails.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deactivateDue } from "../../worker/contacts/service";
import type { WebhookEvent } from "../../worker/webhooks/events";
import type { WebhookQueueMessage } from "../../worker/webhooks/message";
import { sweepWebhookOutbox } from "../../worker/webhooks/outbox";
import { signedInOwner, submit } from "./admin-helpers";
import { api, expectProblem, newOrg, newSession, person, registered } from "./helpers";

afterEach(() => vi.restoreAllMocks());

/** The events the webhook queue is handed from now on (the real queue takes nothing meanwhile). */
function captureEvents(): WebhookEvent[] {
  const captured: WebhookEvent[] = [];
  vi.spyOn(env.WEBHOOK_QUEUE, "sendBatch").mockImplementation((async (messages: Iterable<MessageSendRequest<WebhookQueueMessage>>) => {
    for (const m of messages) captured.push(m.body.event);
  }) as never);
  return captured;
}

/** An endpoint of the org for contact events: an event no endpoint of its org subscribes to is never queued. */
async function subscribe(key: string): Promise<void> {
  const res = await api("POST", "/v1/webhook-endpoints", {
    key,
    body: { url: "https://hooks.example.com/rollcall", events: ["contact.created", "contact.deactivated"] },
  });
  expect(res.status).toBe(201);
}

/** The org's contact events (a ledger may hand the same queue its registration events meanwhile). */
const ofOrg = (events: WebhookEvent[], orgId: string) => events.filter((e) => e.orgId === orgId && e.type.startsWith("contact."));

async function outboxOf(orgId: string): Promise<{ id: string; type: string }[]> {
  const { results } = await env.DB.prepare("select id, type from webhook_outbox where org_id = ?1 order by created_at, id")
    .bind(orgId)
    .all<{ id: string; type: string }>();
  return results;
}

const CSV = "email,firstName,lastName\nada@example.org,Ada,Lovelace\ngrace@example.org,Grace,Hopper\nalan@example.org,Alan,Turing\n";

describe("contact.created", () => {
  it("POST /v1/contacts announces the new contact once, without its notes", async () => {
    const { orgId, key } = await newOrg();
    await subscribe(key);
    const events = captureEvents();
    const res = await api("POST", "/v1/contacts", {
      key,
      body: { email: "ada@example.org", firstName: "Ada", lastName: "Lovelace", notes: "private", type: "mentor" },
    });
    expect(res.status).toBe(201);
    const mine = ofOrg(events, orgId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ type: "contact.created", orgId, sessionId: null, sequence: null });
    expect(mine[0]!.id).toMatch(/^evt_/);
    expect(mine[0]!.data).toEqual({
      id: res.body.id,
      email: "ada@example.org",
      firstName: "Ada",
      lastName: "Lovelace",
      type: "mentor",
      status: "active",
      createdAt: res.body.createdAt,
    });
    expect(await outboxOf(orgId)).toEqual([]);
  });

  it("an import creating 3 contacts announces 3, and running it again announces none", async () => {
    const { orgId, key } = await newOrg();
    await subscribe(key);
    const events = captureEvents();
    const res = await api("POST", "/v1/contacts/import", { key, body: { csv: CSV, dryRun: false } });
    expect(res.status).toBe(200);
    expect(res.body.counts.create).toBe(3);
    const mine = ofOrg(events, orgId);
    expect(mine.map((e) => e.type)).toEqual(["contact.created", "contact.created", "contact.created"]);
    expect(mine.map((e) => e.data.email).sort()).toEqual(["ada@example.org", "alan@example.org", "grace@example.org"]);
    expect(new Set(mine.map((e) => e.id)).size).toBe(3);
    expect((await api("POST", "/v1/contacts/import", { key, body: { csv: CSV, dryRun: false } })).status).toBe(200);
    expect(ofOrg(events, orgId)).toHaveLength(3);
    expect(await outboxOf(orgId)).toEqual([]);
  });

  it("a refused create announces nothing (address taken: 409; invalid body: 422)", async () => {
    const { orgId, key } = await newOrg();
    await subscribe(key);
    const events = captureEvents();
    expect((await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org" } })).status).toBe(201);
    expectProblem(await api("POST", "/v1/contacts", { key, body: { email: "ADA@example.org" } }), "contact_exists");
    const invalid = await api("POST", "/v1/contacts", { key, body: { email: "not an address" } });
    expect(invalid.status).toBe(422);
    expect(ofOrg(events, orgId)).toHaveLength(1);
    expect(await outboxOf(orgId)).toEqual([]);
  });
});

describe("contact.deactivated", () => {
  it("PATCH status deactivated announces it once; reactivating and repeating the PATCH announce nothing more", async () => {
    const { orgId, key } = await newOrg();
    await subscribe(key);
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org", firstName: "Ada" } })).body;
    const events = captureEvents();
    const res = await api("PATCH", `/v1/contacts/${contact.id}`, { key, body: { status: "deactivated", lastName: "Lovelace" } });
    expect(res.status).toBe(200);
    expect((await api("PATCH", `/v1/contacts/${contact.id}`, { key, body: { status: "deactivated" } })).status).toBe(200);
    const mine = ofOrg(events, orgId);
    expect(mine.map((e) => e.type)).toEqual(["contact.deactivated"]);
    expect(mine[0]!.data).toMatchObject({ id: contact.id, email: "ada@example.org", lastName: "Lovelace", status: "deactivated" });
    expect((await api("PATCH", `/v1/contacts/${contact.id}`, { key, body: { status: "active" } })).status).toBe(200);
    expect(ofOrg(events, orgId)).toHaveLength(1);
    expect(await outboxOf(orgId)).toEqual([]);
  });

  it("the admin's status button announces it", async () => {
    const { orgId, key, owner } = await signedInOwner();
    await subscribe(key);
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: "grace@example.org" } })).body;
    const events = captureEvents();
    expect((await submit(owner, `/admin/contacts/${contact.id}/status`, { status: "deactivated" })).status).toBe(303);
    // The page is answered before the sweep (waitUntil), which the test's fetch does not wait for.
    await expect.poll(() => ofOrg(events, orgId).map((e) => [e.type, e.data.id])).toEqual([["contact.deactivated", contact.id]]);
    expect(await outboxOf(orgId)).toEqual([]);
  });

  it("the hourly run's deactivation is written to the outbox with it", async () => {
    const { orgId, key } = await newOrg();
    await subscribe(key);
    const contact = (await api("POST", "/v1/contacts", { key, body: { email: "alan@example.org", deactivateAt: "2020-01-01" } })).body;
    captureEvents();
    await deactivateDue(env, new Date());
    expect((await outboxOf(orgId)).map((r) => r.type)).toEqual(["contact.deactivated"]);
    const events = captureEvents();
    await sweepWebhookOutbox(env.DB, env.WEBHOOK_QUEUE);
    expect(ofOrg(events, orgId).map((e) => [e.type, e.data.id])).toEqual([["contact.deactivated", contact.id]]);
  });
});

describe("the outbox sweep", () => {
  it("leaves the rows when the queue fails, and the next sweep sends them once and empties the outbox", async () => {
    const { orgId, key } = await newOrg();
    await subscribe(key);
    vi.spyOn(env.WEBHOOK_QUEUE, "sendBatch").mockRejectedValue(new Error("queue down"));
    vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org" } });
    expect(res.status).toBe(201);
    const left = await outboxOf(orgId);
    expect(left.map((r) => r.type)).toEqual(["contact.created"]);
    await expect(sweepWebhookOutbox(env.DB, env.WEBHOOK_QUEUE)).rejects.toThrow("queue down");
    expect(await outboxOf(orgId)).toEqual(left);

    vi.restoreAllMocks();
    const events = captureEvents();
    // Other tests' rows may be there too: sweep until this org's is gone.
    for (let i = 0; i < 10 && (await outboxOf(orgId)).length; i++) await sweepWebhookOutbox(env.DB, env.WEBHOOK_QUEUE);
    expect(await outboxOf(orgId)).toEqual([]);
    const mine = ofOrg(events, orgId);
    expect(mine.map((e) => [e.id, e.type, e.data.id])).toEqual([[left[0]!.id, "contact.created", res.body.id]]);
    await sweepWebhookOutbox(env.DB, env.WEBHOOK_QUEUE);
    expect(ofOrg(events, orgId)).toHaveLength(1);
  });
});

describe("the events no endpoint wants", () => {
  it("leave the outbox without being queued: none for an org with no endpoint, only the subscribed type for one with", async () => {
    const { orgId, key } = await newOrg();
    const events = captureEvents();
    const ada = (await api("POST", "/v1/contacts", { key, body: { email: "ada@example.org" } })).body;
    await expect.poll(() => outboxOf(orgId)).toEqual([]);
    expect(ofOrg(events, orgId)).toEqual([]);

    const only = await api("POST", "/v1/webhook-endpoints", {
      key,
      body: { url: "https://hooks.example.com/rollcall", events: ["contact.deactivated"] },
    });
    expect(only.status).toBe(201);
    expect((await api("POST", "/v1/contacts", { key, body: { email: "grace@example.org" } })).status).toBe(201);
    expect((await api("PATCH", `/v1/contacts/${ada.id}`, { key, body: { status: "deactivated" } })).status).toBe(200);
    await expect.poll(() => outboxOf(orgId)).toEqual([]);
    expect(ofOrg(events, orgId).map((e) => [e.type, e.data.id])).toEqual([["contact.deactivated", ada.id]]);
  });
});

describe("contact.created from a registration", () => {
  it("a registration creating its contact announces it; a second registration of the address does not", async () => {
    const { orgId, key } = await newOrg();
    await subscribe(key);
    const first = await newSession(key);
    const second = await newSession(key);
    await registered(first.id, person(1));
    await registered(second.id, person(1));
    await expect.poll(async () => (await outboxOf(orgId)).map((r) => r.type)).toEqual(["contact.created"]);
    const events = captureEvents();
    await sweepWebhookOutbox(env.DB, env.WEBHOOK_QUEUE);
    const contact = (await api("GET", "/v1/contacts", { key })).body.contacts[0];
    expect(ofOrg(events, orgId).map((e) => [e.type, e.data.id, e.data.email])).toEqual([["contact.created", contact.id, person(1).email]]);
  });
});
