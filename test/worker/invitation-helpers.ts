// Steps the ledger's tests share: reading a link the way the invited person would get it, and
// catching what the ledger hands to its queues (mail, webhook events).
import { env, runInDurableObject } from "cloudflare:test";
import { bundleOf, type MailBundle, type QueuedMail } from "../../worker/email/message";
import { signingKeys } from "../../worker/ids/signing-keys";
import { invitationToken } from "../../worker/invitations/tokens";
import type { SessionLedger } from "../../worker/ledger/ledger";
import { WEBHOOK_EVENT_TYPES, type WebhookEvent } from "../../worker/webhooks/events";
import type { WebhookQueueMessage } from "../../worker/webhooks/message";
import { api } from "./helpers";

/** A session's questions: two required (a number, a consent box), one optional. */
export const QUESTIONS = {
  fields: [
    { key: "age", type: "number", label: { en: "Child’s age", fr: "Âge de l’enfant" }, required: true },
    { key: "rules", type: "checkbox", label: { en: "I agree to the rules", fr: "J’accepte le règlement" }, required: true },
    { key: "note", type: "text", label: "Anything we should know" },
  ],
};

export const ledgerStub = (sessionId: string) => env.LEDGER.get(env.LEDGER.idFromName(sessionId));

/** The language of each of the session's live host registrations, by address, as the ledger stores it. */
export const hostLocales = (sessionId: string) =>
  runInDurableObject(ledgerStub(sessionId), async (_instance: SessionLedger, state) =>
    state.storage.sql
      .exec<{ email: string; locale: string }>("select email, locale from registrations where source = 'host' and status != 'cancelled'")
      .toArray()
      .map((r) => ({ ...r })),
  );

/**
 * The link token of an invitation, derived as the ledger derives it when it sends the email
 * (HMAC of the stored salt under the signing secret): what the invitation email carries.
 */
export async function tokenOf(sessionId: string, invitationId: string): Promise<string> {
  const row = await runInDurableObject(ledgerStub(sessionId), async (_instance: SessionLedger, state) =>
    state.storage.sql
      .exec<{ token_salt: string; token_hash: string }>("select token_salt, token_hash from invitations where id = ?", invitationId)
      .one(),
  );
  return (await invitationToken(await signingKeys(env), sessionId, row.token_salt, row.token_hash)).token;
}

/** The invitation emails the ledger has decided so far (still in its outbox or already queued). */
export async function outboxMail(sessionId: string): Promise<any[]> {
  return runInDurableObject(ledgerStub(sessionId), async (_instance: SessionLedger, state) =>
    state.storage.sql
      .exec<{ message: string }>("select message from mail_outbox order by id")
      .toArray()
      .map((r) => JSON.parse(r.message)),
  );
}

/**
 * From now on, the mail this session's ledger hands over lands in the returned array instead of
 * the queue (the ledger's outbox still works as in production up to that hand-over); `bundles`
 * holds the queue messages as the drain made them.
 */
export async function captureMail(sessionId: string): Promise<any[] & { bundles: MailBundle[] }> {
  const captured = Object.assign([] as any[], { bundles: [] as MailBundle[] });
  await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    instance.mailQueue = {
      sendBatch: async (messages: Iterable<MessageSendRequest<QueuedMail>>) => {
        for (const m of messages) {
          const bundle = bundleOf(m.body);
          captured.bundles.push(bundle);
          captured.push(...bundle.messages);
        }
      },
    } as unknown as SessionLedger["mailQueue"];
  });
  return captured;
}

/** Mail of this session's ledger goes to the real queue again (after captureMail). */
export async function releaseMail(sessionId: string): Promise<void> {
  await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    instance.mailQueue = env.MAIL_QUEUE;
  });
}

/**
 * Every message the ledger has decided so far, whether still in its outbox or already handed to
 * `captured` (from captureMail): a message is always in at least one of the two.
 */
export async function mailSoFar(sessionId: string, captured: any[]): Promise<any[]> {
  // The outbox first: whatever leaves it after this read has reached `captured` by then.
  const pending = await outboxMail(sessionId);
  const byId = new Map<string, any>();
  for (const m of [...captured, ...pending]) byId.set(m.id, m);
  return [...byId.values()];
}

/** POST /v1/sessions/{id}/invitations. */
export const invite = (key: string, sessionId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/sessions/${sessionId}/invitations`, { key, body });

/** Invites and insists it worked; returns the 201 body. */
export async function invited(key: string, sessionId: string, body: Record<string, unknown>) {
  const res = await invite(key, sessionId, body);
  if (res.status !== 201) throw new Error(`invitation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { invitations: any[]; skipped: any[]; seats: any; capacityRaisedBy: number };
}

export async function listInvitations(key: string, sessionId: string): Promise<any[]> {
  const res = await api("GET", `/v1/sessions/${sessionId}/invitations`, { key });
  if (res.status !== 200) throw new Error(`invitation list failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.invitations;
}

let clients = 0;
const octet = () => Math.floor(Math.random() * 250) + 1;

/**
 * The invited person's browser: every call to the link API comes from one client address of its
 * own, so the per-client throttle (30 a minute) counts one test's calls and no other's.
 */
export function linkClient(ip = `10.${octet()}.${octet()}.${(clients++ % 250) + 1}`) {
  const headers = { "cf-connecting-ip": ip };
  return {
    ip,
    open: (token: string) => api("GET", `/v1/invites/${token}`, { headers }),
    accept: (token: string, body: Record<string, unknown> = {}) => api("POST", `/v1/invites/${token}/accept`, { body, headers }),
    decline: (token: string) => api("POST", `/v1/invites/${token}/decline`, { headers }),
    requestCode: (token: string) => api("POST", `/v1/invites/${token}/code`, { headers }),
  };
}

/**
 * The ledger's webhook events go to this array instead of the queue (from now on): every type of
 * them, as if the org had an endpoint subscribed to all; with "endpoints", those the org's
 * endpoints in D1 subscribe to, as in production.
 */
export async function captureEvents(sessionId: string, subscribed: "all" | "endpoints" = "all"): Promise<WebhookEvent[]> {
  const captured: WebhookEvent[] = [];
  await runInDurableObject(ledgerStub(sessionId), (instance: SessionLedger) => {
    if (subscribed === "all") instance.webhookSubscriptions = async () => new Set(WEBHOOK_EVENT_TYPES);
    instance.webhookQueue = {
      sendBatch: async (messages: Iterable<MessageSendRequest<WebhookQueueMessage>>) => {
        for (const m of messages) captured.push(m.body.event);
      },
    } as unknown as SessionLedger["webhookQueue"];
  });
  return captured;
}
