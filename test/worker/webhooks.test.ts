// Outgoing webhooks: endpoints through the API, every ledger change announced from the outbox of
// its own transaction (and nothing from one that rolled back), deliveries signed per Standard
// Webhooks and verified by the `standardwebhooks` package on the receiving side, retried until an
// endpoint that failed recovers, and an endpoint failing for 3 days disabled with its owners told.
import { createMessageBatch, env, runInDurableObject } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { MailMessage } from "../../worker/email/message";
import type { SessionLedger } from "../../worker/ledger/ledger";
import type { LedgerStore } from "../../worker/ledger/store";
import { handleWebhookQueue, PARALLEL_POSTS, type WebhookDeps } from "../../worker/webhooks/consumer";
import { DAY_MS } from "../../worker/webhooks/decide";
import { sessionEventType, type WebhookEvent } from "../../worker/webhooks/events";
import type { WebhookQueueMessage } from "../../worker/webhooks/message";
import { checkEndpointUrl } from "../../worker/webhooks/url";
import { addParticipant, api, expectProblem, newOrg, newSession, person, register } from "./helpers";
import { captureEvents, ledgerStub } from "./invitation-helpers";

async function outboxRows(sessionId: string): Promise<number> {
  return runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    const store = (instance as unknown as { store: LedgerStore }).store;
    return store.outboxEvents(1000).length;
  });
}

type Received = { id: string; status: number; body: string; headers: Record<string, string> };

/**
 * A receiving server: verifies every request with `standardwebhooks` under the given secrets and
 * answers `answer(n)` to the n-th request of each event id (1-based).
 */
function receiver(secrets: () => string[], answer: (n: number, id: string) => number = () => 200) {
  const received: Received[] = [];
  const verified: string[] = [];
  const tries = new Map<string, number>();
  const fetch: typeof globalThis.fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = String(init?.body);
    for (const secret of secrets()) {
      new Webhook(secret).verify(body, headers); // throws on a bad signature
      verified.push(secret);
    }
    const id = headers["webhook-id"]!;
    const n = (tries.get(id) ?? 0) + 1;
    tries.set(id, n);
    const status = answer(n, id);
    received.push({ id, status, body, headers });
    if (status === 0) throw new TypeError("connection reset");
    return new Response(status < 300 ? "ok" : "<b>down</b>", { status });
  }) as typeof globalThis.fetch;
  const ok = (r: Received) => r.status >= 200 && r.status < 300;
  return { fetch, received, verified, delivered: () => received.filter(ok).map((r) => r.id) };
}

/** Runs the consumer over these events until nothing is retried; returns the delays it asked for. */
async function consume(events: WebhookQueueMessage[], deps: WebhookDeps, rounds = 20, testEnv: Env = env) {
  const delays: number[] = [];
  let pending = events.map((body) => ({ body, attempts: 1 }));
  for (let round = 0; round < rounds && pending.length; round++) {
    const batch = createMessageBatch<WebhookQueueMessage>(
      "rollcall-webhooks",
      pending.map((p, i) => ({ id: `m${round}-${i}`, timestamp: new Date(), attempts: p.attempts, body: p.body })),
    );
    const next: typeof pending = [];
    for (const m of batch.messages) {
      Object.defineProperty(m, "ack", { value: () => {} });
      Object.defineProperty(m, "retry", {
        value: (options?: QueueRetryOptions) => {
          delays.push(options?.delaySeconds ?? 0);
          next.push({ body: m.body, attempts: m.attempts + 1 });
        },
      });
    }
    await handleWebhookQueue(batch, testEnv, deps);
    pending = next;
  }
  return { delays, left: pending.length };
}

async function newEndpoint(key: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", "/v1/webhook-endpoints", {
    key,
    body: { url: "https://hooks.example.com/rollcall", events: ["registration.created", "registration.cancelled"], ...body },
  });
  expect(res.status).toBe(201);
  return res.body as { endpoint: { id: string }; secret: string };
}

describe("/v1/webhook-endpoints", () => {
  it("creates an endpoint with a whsec_ secret shown in that answer only, and lists it without it", async () => {
    const { key } = await newOrg();
    const created = await newEndpoint(key, { description: "CRM" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await api("GET", "/v1/webhook-endpoints", { key });
    expect(list.status).toBe(200);
    expect(list.body.endpoints).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    expect(JSON.stringify(list.body)).not.toContain("whsec_");
    const row = await env.DB.prepare("select secret_sealed from webhook_endpoints").first<{ secret_sealed: string }>();
    expect(row?.secret_sealed).not.toContain(created.secret.slice(6));
  });

  it("refuses a URL with credentials, a plain http URL to another host, and an unknown event type, creating nothing", async () => {
    const { key } = await newOrg();
    const post = (body: Record<string, unknown>) =>
      api("POST", "/v1/webhook-endpoints", { key, body: { url: "https://hooks.example.com/", events: ["registration.created"], ...body } });
    expectProblem(await post({ url: "https://user:pw@hooks.example.com/" }), "webhook_url_invalid");
    expectProblem(await post({ url: "http://hooks.example.com/" }), "webhook_url_not_https");
    expectProblem(await post({ url: "ftp://hooks.example.com/" }), "webhook_url_not_https");
    expectProblem(await post({ events: ["registration.exploded"] }), "validation_failed");
    expect((await api("GET", "/v1/webhook-endpoints", { key })).body.endpoints).toHaveLength(0);
  });

  it("keeps another org's endpoints out of reach", async () => {
    const a = await newOrg();
    const b = await newOrg();
    const { endpoint } = await newEndpoint(a.key);
    for (const [method, path] of [
      ["GET", `/v1/webhook-endpoints/${endpoint.id}`],
      ["PATCH", `/v1/webhook-endpoints/${endpoint.id}`],
      ["DELETE", `/v1/webhook-endpoints/${endpoint.id}`],
      ["POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`],
      ["POST", `/v1/webhook-endpoints/${endpoint.id}/test`],
      ["GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`],
    ] as const)
      expectProblem(await api(method, path, { key: b.key, body: method === "PATCH" ? { enabled: false } : undefined }), "not_found");
    expect((await api("GET", `/v1/webhook-endpoints/${endpoint.id}`, { key: a.key })).body.enabled).toBe(true);
  });
});

describe("endpoint URLs", () => {
  it("are https only in production, with no private or loopback host; http to localhost only in development", () => {
    expect(checkEndpointUrl("https://hooks.example.com/x", true).ok).toBe(true);
    for (const url of ["http://hooks.example.com/", "http://localhost:3000/"])
      expect(checkEndpointUrl(url, true)).toMatchObject({ ok: false, refusal: { code: "webhook_url_not_https" } });
    for (const url of [
      "https://localhost/",
      "https://127.0.0.1/",
      "https://10.1.2.3/",
      "https://192.168.0.4/",
      "https://172.20.0.1/",
      "https://169.254.169.254/",
      "https://[::1]/",
      "https://[fd00::1]/",
      "https://printer.local/",
      "https://intranet/",
    ])
      expect(checkEndpointUrl(url, true), url).toMatchObject({ ok: false, refusal: { code: "webhook_url_private" } });
    expect(checkEndpointUrl("http://localhost:3000/hook", false).ok).toBe(true);
    expect(checkEndpointUrl("http://127.0.0.1:3000/hook", false).ok).toBe(true);
    expect(checkEndpointUrl("http://hooks.example.com/", false)).toMatchObject({ ok: false });
  });
});

describe("events from the ledger's outbox", () => {
  it("announces each registration change once, in order, with a stable id and a growing sequence", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: true });
    const events = await captureEvents(s.id);
    const first = await register(s.id, person(1));
    const second = await register(s.id, person(2));
    expect(second.body.registration.status).toBe("waitlisted");
    const cancelled = await api("POST", `/v1/registrations/${first.body.registration.id}/cancel`, { key, body: {} });
    expect(cancelled.status).toBeLessThan(300);
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(4);
    expect(events.map((e) => e.type)).toEqual([
      "registration.created",
      "registration.created",
      "registration.cancelled",
      "registration.promoted",
    ]);
    expect(events.map((e) => e.data.email)).toEqual([person(1).email, person(2).email, person(1).email, person(2).email]);
    const sequences = events.map((e) => e.sequence!);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events.every((e) => e.sessionId === s.id && e.orgId && e.id.startsWith("evt_"))).toBe(true);
    expect(await outboxRows(s.id)).toBe(0);
  });

  it("queues only the events some enabled endpoint of the org subscribes to, and forgets the rest", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: true });
    const queued = await captureEvents(s.id, "endpoints");
    // No endpoint at all: nothing is queued, and the outbox empties all the same.
    const first = await register(s.id, person(1));
    await expect.poll(() => outboxRows(s.id)).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(queued).toEqual([]);
    // An endpoint for registration.created only: the cancellation is not queued, the next registration is.
    await newEndpoint(key, { events: ["registration.created"] });
    expect((await api("POST", `/v1/registrations/${first.body.registration.id}/cancel`, { key, body: {} })).status).toBeLessThan(300);
    await register(s.id, person(3));
    await expect.poll(() => outboxRows(s.id)).toBe(0);
    await expect.poll(() => queued.map((e) => e.type)).toEqual(["registration.created"]);
    expect(queued[0]!.data.email).toBe(person(3).email);
  });

  it("emits nothing for a registration refused because the session is full", async () => {
    const { key } = await newOrg();
    const s = await newSession(key, { maxParticipants: 1, minParticipants: 1, waitlist: false });
    const events = await captureEvents(s.id);
    await register(s.id, person(1));
    await expect.poll(() => events.length).toBe(1);
    expectProblem(await register(s.id, person(2)), "capacity_full");
    expectProblem(await addParticipant(key, s.id, person(3)), "capacity_full");
    await new Promise((r) => setTimeout(r, 100));
    expect(events.map((e) => e.data.email)).toEqual([person(1).email]);
    expect(await outboxRows(s.id)).toBe(0);
  });

  it("emits nothing for a change whose transaction throws after writing", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    await captureEvents(s.id);
    const left = await runInDurableObject(ledgerStub(s.id), (instance: SessionLedger) => {
      const store = (instance as unknown as { store: LedgerStore }).store;
      const before = store.sessionRecord()!;
      expect(() =>
        store.transaction(() => {
          store.patchSession({ title: "Renamed", updatedAt: new Date().toISOString() });
          store.insertRegistration({ ...fakeRegistration(), id: "reg_rolledback" });
          throw new Error("mid-transaction failure");
        }),
      ).toThrow("mid-transaction failure");
      const rows = store.outboxEvents(100).length;
      const title = store.sessionRecord()!.title;
      // The next transaction does not carry what the failed one had decided.
      store.transaction(() => store.patchSession({ capacity: before.capacity + 1, updatedAt: new Date().toISOString() }));
      return { rows, title, was: before.title, next: store.outboxEvents(100).map((e) => [e.type, e.data.title, e.data.capacity]) };
    });
    expect(left).toEqual({ rows: 0, title: left.was, was: left.was, next: [["session.updated", left.was, expect.any(Number)]] });
  });

  it("announces a session's edit, its cancellation, and not a mere change of its seat counts", () => {
    const s = {
      id: "ses_x",
      title: "Climbing",
      description: "",
      startsAt: "2030-01-01T10:00:00.000Z",
      timeZone: "UTC",
      durationMinutes: 60,
      capacity: 10,
      minParticipants: 0,
      location: null,
      status: "scheduled",
      registrationOpensAt: null,
      registrationClosesAt: null,
      waitlist: true,
      listed: true,
      minimumDecision: null,
      cancelledAt: null,
      createdAt: "2029-01-01T00:00:00.000Z",
      updatedAt: "2029-01-01T00:00:00.000Z",
    };
    expect(sessionEventType(undefined, s)).toBe("session.created");
    expect(sessionEventType(s, { ...s, updatedAt: "2029-02-01T00:00:00.000Z" })).toBeNull();
    expect(sessionEventType(s, { ...s, capacity: 12 })).toBe("session.updated");
    expect(sessionEventType(s, { ...s, status: "cancelled" })).toBe("session.cancelled");
    expect(sessionEventType(s, { ...s, minimumDecision: "run" })).toBe("session.decided");
    expect(sessionEventType(s, { ...s, minimumDecision: "asked" })).toBeNull();
  });

  it("announces a session's edit through the API", async () => {
    const { key } = await newOrg();
    const s = await newSession(key);
    const events = await captureEvents(s.id);
    expect((await api("PATCH", `/v1/sessions/${s.id}`, { key, body: { title: "Climbing, advanced" } })).status).toBe(200);
    await expect.poll(() => events.map((e) => e.type)).toEqual(["session.updated"]);
    expect(events[0]!.data.title).toBe("Climbing, advanced");
  });
});

function fakeRegistration() {
  const now = new Date().toISOString();
  return {
    name: "Rolled Back",
    email: "rolled@example.org",
    emailKey: "rolled@example.org",
    status: "confirmed" as const,
    source: "provider" as const,
    invitationId: null,
    answers: null,
    formVersion: null,
    discountCode: null,
    locale: "en" as const,
    manageTokenHash: `hash-${Math.random()}`,
    manageTokenSalt: "",
    createdAt: now,
    promotedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    clientKey: null,
    confirmExpiresAt: null,
    confirmTokenHash: null,
    confirmCodeHash: null,
    confirmAttempts: 0,
    emailConfirmedAt: null,
    manageLinkSentAt: null,
    erasedAt: null,
    amountDue: null,
    priceAmount: null,
    currency: null,
    paidAt: null,
    refundDueAt: null,
    checkoutId: null,
    paymentId: null,
    refundedAt: null,
    refundedAmount: null,
  };
}

function event(orgId: string, type: WebhookEvent["type"] = "registration.created", createdAt = new Date()): WebhookEvent {
  return {
    id: `evt_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`,
    type,
    orgId,
    createdAt: createdAt.toISOString(),
    sessionId: "ses_test",
    sequence: 1,
    data: { id: "reg_x" },
  };
}

describe("delivering events", () => {
  it("signs each delivery so that standardwebhooks verifies it with the endpoint's secret, and logs it", async () => {
    const { orgId, key } = await newOrg();
    const { endpoint, secret } = await newEndpoint(key);
    const server = receiver(() => [secret]);
    const e = event(orgId);
    await consume([{ event: e }], { fetch: server.fetch, now: () => new Date() });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.headers["webhook-id"]).toBe(e.id);
    expect(JSON.parse(server.received[0]!.body)).toEqual(e);
    expect(server.verified).toEqual([secret]);
    // A wrong secret does not verify.
    expect(() =>
      new Webhook(`whsec_${btoa("another secret, 32 bytes long!!!")}`).verify(server.received[0]!.body, server.received[0]!.headers),
    ).toThrow();
    const log = await api("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key });
    expect(log.body.deliveries).toMatchObject([
      { eventId: e.id, status: "succeeded", attempts: 1, responseStatus: 200, responseExcerpt: "ok" },
    ]);
    expect(typeof log.body.deliveries[0].latencyMs).toBe("number");
  });

  it("sends each event only to the enabled endpoints subscribed to its type", async () => {
    const { orgId, key } = await newOrg();
    const wants = await newEndpoint(key, { events: ["registration.created"] });
    await newEndpoint(key, { events: ["invitation.created"] });
    const off = await newEndpoint(key, { events: ["registration.created"] });
    await api("PATCH", `/v1/webhook-endpoints/${off.endpoint.id}`, { key, body: { enabled: false } });
    const urls: string[] = [];
    const server = receiver(() => []);
    await consume([{ event: event(orgId) }], {
      fetch: ((url: string, init: RequestInit) => {
        urls.push(url);
        return server.fetch(url, init);
      }) as typeof fetch,
      now: () => new Date(),
    });
    expect(urls).toHaveLength(1);
    const rows = await env.DB.prepare("select endpoint_id from webhook_deliveries where org_id = ?")
      .bind(orgId)
      .all<{ endpoint_id: string }>();
    expect(rows.results.map((r) => r.endpoint_id)).toEqual([wants.endpoint.id]);
  });

  it("reads each org's endpoints once a batch, and again once an endpoint may have been disabled", async () => {
    const withEndpoint = await newOrg();
    const without = await newOrg();
    const { endpoint, secret } = await newEndpoint(withEndpoint.key);
    const endpointReads: string[] = [];
    const countingDb = new Proxy(env.DB, {
      get(target, name) {
        if (name === "prepare")
          return (query: string) => {
            if (query.includes('from "webhook_endpoints"')) endpointReads.push(query);
            return target.prepare(query);
          };
        const value = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const testEnv = { ...env, DB: countingDb } as Env;
    const server = receiver(() => [secret]);
    const events = [withEndpoint, without, withEndpoint, without, without, withEndpoint].map(({ orgId }) => ({ event: event(orgId) }));
    expect((await consume(events, { fetch: server.fetch, now: () => new Date() }, 1, testEnv)).left).toBe(0);
    expect(server.delivered()).toHaveLength(3);
    expect(endpointReads).toHaveLength(2);

    // Failing for more than 3 days: the batch's first event disables it, and the next one is not sent to it.
    await env.DB.prepare("update webhook_endpoints set failing_since = ? where id = ?")
      .bind(new Date(Date.now() - 4 * DAY_MS).toISOString(), endpoint.id)
      .run();
    const refusing = receiver(
      () => [],
      () => 500,
    );
    await consume(
      [{ event: event(withEndpoint.orgId) }, { event: event(withEndpoint.orgId) }],
      { fetch: refusing.fetch, now: () => new Date() },
      1,
    );
    expect(refusing.received).toHaveLength(1);
    const disabled = await api("GET", `/v1/webhook-endpoints/${endpoint.id}`, { key: withEndpoint.key });
    expect(disabled.body).toMatchObject({ enabled: false, disabledReason: "failures" });
  });

  it("delivers one event to more endpoints than one D1 statement binds values, and gives them all up at once", async () => {
    const { orgId, key } = await newOrg();
    for (let i = 0; i < 120; i++) await newEndpoint(key);
    const server = receiver(() => []);
    const e = event(orgId);
    expect((await consume([{ event: e }], { fetch: server.fetch, now: () => new Date() })).left).toBe(0);
    expect(server.received).toHaveLength(120);
    // Four days old and failing everywhere: no retry left, every delivery marked failed.
    const old = event(orgId, "registration.created", new Date(Date.now() - 4 * 86_400_000));
    const refusing = (async () => new Response("down", { status: 500 })) as unknown as typeof fetch;
    expect((await consume([{ event: old }], { fetch: refusing, now: () => new Date() }, 1)).left).toBe(0);
    const failed = await env.DB.prepare("select count(*) as n from webhook_deliveries where event_id = ? and status = 'failed'")
      .bind(old.id)
      .first<{ n: number }>();
    expect(failed?.n).toBe(120);
  });

  it("pages an endpoint's delivery log, newest first, and refuses a cursor it did not give out", async () => {
    const { orgId, key } = await newOrg();
    const { endpoint } = await newEndpoint(key);
    const sent = [];
    for (let i = 0; i < 9; i++) sent.push(event(orgId));
    expect(
      (
        await consume(
          sent.map((e) => ({ event: e })),
          { fetch: receiver(() => []).fetch, now: () => new Date() },
        )
      ).left,
    ).toBe(0);
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await api("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=4${query}`, { key });
      expect(page.status).toBe(200);
      sizes.push(page.body.deliveries.length);
      seen.push(...page.body.deliveries.map((d: { eventId: string }) => d.eventId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([4, 4, 1]);
    expect(seen.sort()).toEqual(sent.map((e) => e.id).sort());
    const forged = await api("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?cursor=not-ours`, { key });
    expect(forged.status).toBe(422);
    expect(forged.body.code).toBe("validation_failed");
  });

  it("posts one event to several endpoints at once, never more than six at a time", async () => {
    const { orgId, key } = await newOrg();
    for (let i = 0; i < 14; i++) await newEndpoint(key);
    let open = 0;
    let most = 0;
    const slow = (async () => {
      most = Math.max(most, ++open);
      await new Promise((resolve) => setTimeout(resolve, 20));
      open--;
      return new Response("ok");
    }) as unknown as typeof fetch;
    expect((await consume([{ event: event(orgId) }], { fetch: slow, now: () => new Date() })).left).toBe(0);
    expect(most).toBe(PARALLEL_POSTS);
    const delivered = await env.DB.prepare("select count(*) as n from webhook_deliveries where org_id = ? and status = 'succeeded'")
      .bind(orgId)
      .first<{ n: number }>();
    expect(delivered?.n).toBe(14);
  });

  it("gets every event to an endpoint that fails and then recovers, each exactly once, backing off between tries", async () => {
    const { orgId, key } = await newOrg();
    const { endpoint, secret } = await newEndpoint(key);
    // Down for each event's first three tries (500, 503, then no answer at all), up after.
    const server = receiver(
      () => [secret],
      (n) => (n === 1 ? 500 : n === 2 ? 503 : n === 3 ? 0 : 200),
    );
    const events = [event(orgId), event(orgId, "registration.cancelled"), event(orgId)];
    // The same event twice on the queue (a drain retried after its send): still delivered once.
    const { delays, left } = await consume([...events.map((e) => ({ event: e })), { event: events[0]! }], {
      fetch: server.fetch,
      now: () => new Date(),
    });
    expect(left).toBe(0);
    expect(server.delivered().sort()).toEqual(events.map((e) => e.id).sort());
    expect(delays.slice(0, 3)).toEqual([30, 30, 30]);
    expect(delays).toContain(60);
    expect(delays).toContain(120);
    const log = await api("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key });
    expect(log.body.deliveries).toHaveLength(3);
    expect(log.body.deliveries.every((d: { status: string; attempts: number }) => d.status === "succeeded" && d.attempts === 4)).toBe(true);
    expect((await api("GET", `/v1/webhook-endpoints/${endpoint.id}`, { key })).body.failingSince).toBeNull();
  });

  it("signs with both secrets for 24 hours after a rotation, then with the new one only", async () => {
    const { orgId, key } = await newOrg();
    const { endpoint, secret: old } = await newEndpoint(key);
    const rotated = await api("POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, { key });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(old);
    expect(rotated.body.endpoint.previousSecretExpiresAt).toBeTruthy();
    const both = receiver(() => [old, fresh]);
    await consume([{ event: event(orgId) }], { fetch: both.fetch, now: () => new Date() });
    expect(both.received[0]!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(both.verified).toEqual([old, fresh]);

    const later = new Date(Date.now() + DAY_MS + 60_000);
    const signatures: string[] = [];
    await consume([{ event: event(orgId, "registration.created", later) }], {
      fetch: (async (_u: string, init: RequestInit) => {
        signatures.push(new Headers(init.headers).get("webhook-signature")!);
        return new Response("ok");
      }) as typeof fetch,
      now: () => later,
    });
    expect(signatures[0]!.split(" ")).toHaveLength(1);
  });

  it("gives an event up after 3 days of failures, disables the endpoint failing that long and emails its owners once", async () => {
    const { orgId, key } = await newOrg();
    const { endpoint } = await newEndpoint(key);
    const start = Date.now();
    let now = start;
    const mail: MailMessage[] = [];
    const testEnv = { ...env, MAIL_QUEUE: { send: async (m: MailMessage) => void mail.push(m) } } as unknown as Env;
    const deps: WebhookDeps = {
      fetch: (async () => {
        now += 1000;
        return new Response("down", { status: 502 });
      }) as typeof fetch,
      now: () => new Date(now),
    };
    // Each retry happens when the queue says: move the clock by the delay asked for.
    let pending: WebhookQueueMessage[] = [{ event: event(orgId, "registration.created", new Date(start)) }];
    let attempts = 1;
    let tries = 0;
    while (pending.length && tries < 40) {
      tries++;
      const batch = createMessageBatch<WebhookQueueMessage>("rollcall-webhooks", [
        { id: `t${tries}`, timestamp: new Date(now), attempts, body: pending[0]! },
      ]);
      const next: WebhookQueueMessage[] = [];
      Object.defineProperty(batch.messages[0], "ack", { value: () => {} });
      Object.defineProperty(batch.messages[0], "retry", {
        value: (o?: QueueRetryOptions) => {
          now += (o?.delaySeconds ?? 0) * 1000;
          next.push(batch.messages[0]!.body);
        },
      });
      await handleWebhookQueue(batch, testEnv, deps);
      pending = next;
      attempts++;
    }
    expect(pending).toHaveLength(0);
    expect(now - start).toBeLessThanOrEqual(3 * DAY_MS);
    expect(now - start).toBeGreaterThan(2.5 * DAY_MS);
    const row = await env.DB.prepare("select status, attempts from webhook_deliveries where org_id = ?")
      .bind(orgId)
      .first<{ status: string; attempts: number }>();
    expect(row).toEqual({ status: "failed", attempts: tries });
    const read = await api("GET", `/v1/webhook-endpoints/${endpoint.id}`, { key });
    expect(read.body).toMatchObject({ enabled: true, disabledAt: null });

    // The next failure past 3 days of failing disables it; the owners hear of it once, in their language.
    now = start + 3 * DAY_MS + 60_000;
    await consume([{ event: event(orgId, "registration.created", new Date(now)) }], deps, 1, testEnv);
    await consume([{ event: event(orgId, "registration.created", new Date(now)) }], deps, 1, testEnv);
    const disabled = await api("GET", `/v1/webhook-endpoints/${endpoint.id}`, { key });
    expect(disabled.body).toMatchObject({ enabled: false, disabledReason: "failures" });
    expect(mail.map((m) => [m.template, m.to])).toEqual([["webhook_disabled", "owner@camp.example"]]);
  });
});

describe("send again and test events", () => {
  it("sends a test event and a delivery again to the one endpoint, under the event's own id", async () => {
    const { orgId, key } = await newOrg();
    const { endpoint, secret } = await newEndpoint(key);
    const queued: WebhookQueueMessage[] = [];
    const queueEnv = { ...env, WEBHOOK_QUEUE: { send: async (m: WebhookQueueMessage) => void queued.push(m) } };
    const server = receiver(() => [secret]);
    // Through the API (its queue), then the consumer.
    const sent = await api("POST", `/v1/webhook-endpoints/${endpoint.id}/test`, { key });
    expect(sent.status).toBe(202);
    expect(sent.body.eventId).toMatch(/^evt_/);
    // The route's message, built the same way, consumed here.
    const { sendTestEvent, sendAgain } = await import("../../worker/webhooks/endpoints");
    const test = await sendTestEvent(queueEnv as never, orgId, endpoint.id, new Date());
    expect(test.ok).toBe(true);
    await consume(queued.splice(0), { fetch: server.fetch, now: () => new Date() });
    expect(server.received.map((r) => JSON.parse(r.body).type)).toEqual(["webhook.test"]);

    const e = event(orgId);
    await consume([{ event: e }], { fetch: server.fetch, now: () => new Date() });
    const log = await api("GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key });
    const delivery = log.body.deliveries.find((d: { eventId: string }) => d.eventId === e.id);
    const again = await sendAgain(queueEnv as never, orgId, endpoint.id, delivery.id);
    expect(again.ok).toBe(true);
    await consume(queued.splice(0), { fetch: server.fetch, now: () => new Date() });
    expect(server.received.filter((r) => r.id === e.id)).toHaveLength(2);
    expectProblem(await api("POST", `/v1/webhook-endpoints/${endpoint.id}/deliveries/whd_nope/retry`, { key }), "not_found");
  });
});
