// The hosted admin's Webhooks page (issue 15, item 1): adding an endpoint shows its secret once,
// rotating and deleting ask first, the delivery log lists deliveries (escaped) with "send again",
// "send test event" queues one; the org's owners and admins only, another org's endpoint 404.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { noAnswer } from "../../worker/webhooks/decide";
import { WEBHOOK_EVENT_TYPES } from "../../worker/webhooks/events";
import type { WebhookQueueMessage } from "../../worker/webhooks/message";
import { browse, signedInOwner, signIn, submit } from "./admin-helpers";
import { api, BASE } from "./helpers";

const endpoints = async (key: string) => (await api("GET", "/v1/webhook-endpoints", { key })).body.endpoints as any[];

/** Every message handed to the webhook queue from now on. */
function queuedWebhooks(): WebhookQueueMessage[] {
  const sent: WebhookQueueMessage[] = [];
  vi.spyOn(env.WEBHOOK_QUEUE, "send").mockImplementation((async (m: WebhookQueueMessage) => void sent.push(m)) as never);
  return sent;
}

/** Follows a POST's redirect to the page that shows the secret, with the handover cookie. */
async function secretShown(who: { cookie: string }, made: { status: number; location: string | null; headers: Headers }) {
  const handover = made.headers.get("set-cookie")?.split(";")[0];
  expect(made.status).toBe(303);
  expect(made.location).toBe("/admin/webhooks/secret");
  const shown = await browse("GET", made.location!, {
    cookie: `${who.cookie}; ${handover}`,
  });
  return {
    shown,
    secret: /id="new-secret"[^>]* value="(whsec_[^"]+)"/.exec(shown.text)?.[1],
    handover: handover!,
  };
}

async function insertDelivery(orgId: string, endpointId: string, excerpt: string) {
  const id = `whd_admin${crypto.randomUUID().replaceAll("-", "")}`;
  const payload = JSON.stringify({
    id: `evt_${id}`,
    type: "registration.created",
    orgId,
    data: {},
  });
  await env.DB.prepare(
    "INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, payload, status, attempts, response_status, latency_ms, response_excerpt, last_attempt_at, created_at) VALUES (?, ?, ?, ?, 'registration.created', ?, 'failed', 3, 500, 87, ?, ?, ?)",
  )
    .bind(id, endpointId, orgId, `evt_${id}`, payload, excerpt, new Date().toISOString(), new Date().toISOString())
    .run();
  return id;
}

describe("/admin/webhooks", () => {
  it("adds an endpoint with the events chosen, shows its secret once, and never on the list afterwards", async () => {
    const { key, owner } = await signedInOwner();
    const page = await browse("GET", "/admin/webhooks", {
      cookie: owner.cookie,
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain("<h1>Webhooks</h1>");
    expect(page.text).toContain('aria-current="page">Webhooks</a>');
    expect(page.text).toContain("<legend>Registrations</legend>");

    const refused = await submit(owner, "/admin/webhooks", {
      url: "http://example.com/hook",
      description: "CRM",
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("The address must start with https://.");
    expect(refused.text).toContain("Choose at least one event.");
    expect(await endpoints(key)).toEqual([]);

    const made = await submit(owner, "/admin/webhooks", {
      url: "https://example.com/hook",
      description: "CRM",
      events: "registration.created",
    });
    const { shown, secret } = await secretShown(owner, made);
    expect(shown.status).toBe(200);
    expect(secret).toMatch(/^whsec_/);
    const [endpoint] = await endpoints(key);
    expect(endpoint).toMatchObject({
      url: "https://example.com/hook",
      description: "CRM",
      events: ["registration.created"],
      enabled: true,
    });
    // Shown once: the page that shows it tells the browser to forget it, and without it shows nothing.
    expect(shown.headers.get("set-cookie")).toMatch(/^rollcall_new_whsec=;.*Max-Age=0/);
    const reloaded = await browse("GET", "/admin/webhooks/secret", { cookie: owner.cookie });
    expect(reloaded.status).toBe(303);
    expect(reloaded.location).toBe("/admin/webhooks");
    // A handover cookie naming an endpoint with another secret shows nothing either.
    const forged = await browse("GET", "/admin/webhooks/secret", {
      cookie: `${owner.cookie}; rollcall_new_whsec=${endpoint.id}.whsec_forged`,
    });
    expect(forged.location).toBe("/admin/webhooks");
    const list = await browse("GET", "/admin/webhooks", {
      cookie: owner.cookie,
    });
    expect(list.text).toContain("https://example.com/hook");
    expect(list.text).not.toContain(secret!);
    expect(list.text).not.toContain("whsec_");
  });

  it("subscribes to the events ticked, or to all of them", async () => {
    const { key, owner } = await signedInOwner();
    const picked = new URLSearchParams({
      _csrf: owner.csrf,
      url: "https://example.com/two",
    });
    picked.append("events", "registration.created");
    picked.append("events", "contact.deactivated");
    picked.append("events", "not.an.event");
    const res = await SELF.fetch(`${BASE}/admin/webhooks`, {
      method: "POST",
      headers: {
        cookie: owner.cookie,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: picked.toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    await submit(owner, "/admin/webhooks", {
      url: "https://example.com/all",
      allEvents: "on",
    });
    const [two, all] = await endpoints(key);
    expect(two.events).toEqual(["registration.created", "contact.deactivated"]);
    expect(all.events).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it("asks before rotating, then shows the new secret once, the old one working 24 hours more", async () => {
    const { key, owner } = await signedInOwner();
    const created = (
      await api("POST", "/v1/webhook-endpoints", {
        key,
        body: { url: "https://example.com/r", events: ["session.created"] },
      })
    ).body;
    const id = created.endpoint.id;
    const ask = await browse("GET", `/admin/webhooks/${id}/rotate`, {
      cookie: owner.cookie,
      headers: { "accept-language": "fr" },
    });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("L’ancien secret continue de fonctionner pendant 24 heures");
    expect((await endpoints(key))[0].previousSecretExpiresAt).toBeNull();
    const rotated = await submit(owner, `/admin/webhooks/${id}/rotate`);
    const { secret, shown } = await secretShown(owner, rotated);
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(created.secret);
    expect(shown.text).toContain("The previous secret also signs until");
    expect((await endpoints(key))[0].previousSecretExpiresAt).not.toBeNull();
  });

  it("asks before deleting, then deletes; edits, disables and enables", async () => {
    const { key, owner } = await signedInOwner();
    const id = (
      await api("POST", "/v1/webhook-endpoints", {
        key,
        body: { url: "https://example.com/d", events: ["session.created"] },
      })
    ).body.endpoint.id;
    const edited = await submit(owner, `/admin/webhooks/${id}`, {
      url: "https://example.com/e",
      description: "Edited",
      events: "session.updated",
    });
    expect(edited.location).toBe(`/admin/webhooks/${id}?done=updated`);
    expect((await endpoints(key))[0]).toMatchObject({
      url: "https://example.com/e",
      description: "Edited",
      events: ["session.updated"],
    });
    expect((await submit(owner, `/admin/webhooks/${id}/disable`)).location).toBe(`/admin/webhooks/${id}?done=disabled`);
    expect((await endpoints(key))[0].enabled).toBe(false);
    await submit(owner, `/admin/webhooks/${id}/enable`);
    expect((await endpoints(key))[0].enabled).toBe(true);

    const ask = await browse("GET", `/admin/webhooks/${id}/delete`, {
      cookie: owner.cookie,
    });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("<h1>Delete https://example.com/e?</h1>");
    expect(await endpoints(key)).toHaveLength(1);
    const deleted = await submit(owner, `/admin/webhooks/${id}/delete`);
    expect(deleted.location).toBe("/admin/webhooks?done=deleted");
    expect(await endpoints(key)).toEqual([]);
  });

  it("lists a delivery with its status, latency and escaped answer; sends it again and sends a test event", async () => {
    const { key, orgId, owner } = await signedInOwner();
    const hostile = "<script>alert(1)</script>";
    const id = (
      await api("POST", "/v1/webhook-endpoints", {
        key,
        body: {
          url: "https://example.com/log",
          events: ["registration.created"],
          description: `<img src=x onerror=alert(2)>`,
        },
      })
    ).body.endpoint.id;
    const deliveryId = await insertDelivery(orgId, id, hostile);
    const page = await browse("GET", `/admin/webhooks/${id}`, {
      cookie: owner.cookie,
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain("<code>registration.<wbr/>created</code>"); // wraps after its dot only
    expect(page.text).toContain("Failed (HTTP 500)");
    expect(page.text).toContain("87 ms");
    expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page.text).not.toContain(hostile);
    expect(page.text).not.toContain("<img src=x");
    const list = await browse("GET", "/admin/webhooks", {
      cookie: owner.cookie,
    });
    expect(list.text).toContain("&lt;img src=x onerror=alert(2)&gt;");
    expect(list.text).not.toContain("<img src=x");

    const queued = queuedWebhooks();
    const again = await submit(owner, `/admin/webhooks/${id}/deliveries/${deliveryId}/retry`);
    expect(again.location).toBe(`/admin/webhooks/${id}?done=again`);
    expect(queued.map((m) => [m.endpointId, m.event.id])).toEqual([[id, `evt_${deliveryId}`]]);
    const test = await submit(owner, `/admin/webhooks/${id}/test`);
    expect(test.location).toBe(`/admin/webhooks/${id}?done=test`);
    expect(queued[1]).toMatchObject({
      endpointId: id,
      event: { type: "webhook.test", orgId },
    });
    const noticed = await browse("GET", test.location!, {
      cookie: owner.cookie,
    });
    expect(noticed.text).toContain("Test event queued");
    vi.restoreAllMocks();
  });

  it("says in the reader's language that an endpoint never answered, with the runtime's reason", async () => {
    const { key, orgId, owner } = await signedInOwner();
    const id = (
      await api("POST", "/v1/webhook-endpoints", { key, body: { url: "https://example.com/down", events: ["registration.created"] } })
    ).body.endpoint.id;
    const deliveryId = await insertDelivery(orgId, id, noAnswer("Network connection lost."));
    await env.DB.prepare("UPDATE webhook_deliveries SET response_status = NULL WHERE id = ?").bind(deliveryId).run();
    const page = await browse("GET", `/admin/webhooks/${id}`, { cookie: owner.cookie, headers: { "accept-language": "fr" } });
    expect(page.text).toContain('Pas de réponse : <code class="excerpt">Network connection lost.</code>');
    expect(page.text).not.toContain("(no answer");
  });

  it("pages the delivery log 25 at a time, newest first, without skipping or repeating one", async () => {
    const { key, orgId, owner } = await signedInOwner();
    const id = (
      await api("POST", "/v1/webhook-endpoints", { key, body: { url: "https://example.com/log", events: ["registration.created"] } })
    ).body.endpoint.id;
    const made = new Set<string>();
    for (let i = 0; i < 30; i++) made.add(await insertDelivery(orgId, id, `answer ${i}`));
    const idsOn = (text: string) => [...text.matchAll(/\/deliveries\/(whd_[^/"]+)\/retry/g)].map((m) => m[1]);
    const first = await browse("GET", `/admin/webhooks/${id}`, { cookie: owner.cookie });
    expect(idsOn(first.text)).toHaveLength(25);
    expect(first.text).not.toContain("Newest deliveries");
    const older = /href="([^"]+)">Older deliveries</.exec(first.text)?.[1]?.replaceAll("&amp;", "&");
    expect(older).toMatch(new RegExp(`^/admin/webhooks/${id}\\?older=`));
    const second = await browse("GET", older!, { cookie: owner.cookie });
    expect(idsOn(second.text)).toHaveLength(5);
    expect(second.text).toContain("Newest deliveries");
    expect(second.text).not.toContain("Older deliveries");
    expect(new Set([...idsOn(first.text), ...idsOn(second.text)])).toEqual(made);
  });

  it("keeps another org's endpoint out of reach, and needs the CSRF token", async () => {
    const mine = await signedInOwner();
    const other = await signedInOwner();
    const theirs = (
      await api("POST", "/v1/webhook-endpoints", {
        key: other.key,
        body: {
          url: "https://example.com/theirs",
          events: ["session.created"],
        },
      })
    ).body.endpoint.id;
    const deliveryId = await insertDelivery(other.orgId, theirs, "ok");
    const queued = queuedWebhooks();
    for (const path of ["", "/rotate", "/delete"])
      expect(
        (
          await browse("GET", `/admin/webhooks/${theirs}${path}`, {
            cookie: mine.owner.cookie,
          })
        ).status,
        path,
      ).toBe(404);
    for (const path of ["", "/rotate", "/delete", "/disable", "/test", `/deliveries/${deliveryId}/retry`])
      expect(
        (
          await submit(mine.owner, `/admin/webhooks/${theirs}${path}`, {
            url: "https://example.com/x",
            allEvents: "on",
          })
        ).status,
        path,
      ).toBe(404);
    expect(queued).toEqual([]);
    const withoutToken = await browse("POST", `/admin/webhooks/${theirs}/delete`, { cookie: other.owner.cookie, form: {} });
    expect(withoutToken.status).toBe(403);
    expect(await endpoints(other.key)).toMatchObject([{ url: "https://example.com/theirs", enabled: true }]);
    vi.restoreAllMocks();
  });

  it("answers 403 to a host, on every webhook page", async () => {
    const { key, orgId, owner } = await signedInOwner();
    const id = (
      await api("POST", "/v1/webhook-endpoints", {
        key,
        body: { url: "https://example.com/h", events: ["session.created"] },
      })
    ).body.endpoint.id;
    const hostId = `mem_host${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const email = `${hostId}@camp.example`;
    await env.DB.prepare("INSERT INTO members (id, org_id, email, role, created_at) VALUES (?, ?, ?, 'host', ?)")
      .bind(hostId, orgId, email, new Date().toISOString())
      .run();
    const host = await signIn(email);
    for (const path of ["/admin/webhooks", `/admin/webhooks/${id}`, `/admin/webhooks/${id}/rotate`])
      expect((await browse("GET", path, { cookie: host.cookie })).status, path).toBe(403);
    expect((await submit(host, `/admin/webhooks/${id}/delete`)).status).toBe(403);
    expect(
      (
        await submit(host, "/admin/webhooks", {
          url: "https://example.com/x",
          allEvents: "on",
        })
      ).status,
    ).toBe(403);
    expect(await endpoints(key)).toHaveLength(1);
    const sessions = await browse("GET", "/admin/sessions", {
      cookie: host.cookie,
    });
    expect(sessions.text).not.toContain("/admin/webhooks");
    expect((await browse("GET", "/admin/sessions", { cookie: owner.cookie })).text).toContain('href="/admin/webhooks"');
  });
});
