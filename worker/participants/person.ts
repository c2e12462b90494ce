// Whose page it is and what it shows: the person a request for a link names in an org (by address,
// or by a contact's phone number), their upcoming sessions as each session's ledger sees them, and
// their details in the org's directory. Every seat decision is the ledger's (the same calls as the
// program page): this file only gathers and passes on.

import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { createOneContact, editContact } from "../contacts/service";
import { contacts } from "../db/schema";
import type { MailMessage } from "../email/message";
import type { MailQueue, Sends } from "../email/queues";
import { type FieldError, type Outcome, ok } from "../errors/problem";
import type { Answering } from "../forms/answers";
import type { Locale } from "../i18n/locales";
import { isSessionId, randomSecret } from "../ids/ids";
import type { ProgramSessionSeat } from "../invitations/program";
import { answerSeat } from "../payments/checkout";
import { fewAtATime, sessionsHolding } from "../privacy/person";
import { emailKey } from "../recipients/address";
import { sessionLedger } from "../sessions/ledger-client";
import type { QueuedSms } from "../sms/message";
import { type PageLinkContact, pageLinkAsText } from "../sms/page-link";
import { issuePageLink, type Person, pageLinkPath } from "./access";
import type { LinkTarget, ProfileInput } from "./decide";

type ContactRow = typeof contacts.$inferSelect;

async function contactBy(database: D1Database, orgId: string, where: { emailKey?: string; phone?: string; id?: string }) {
  const filter = where.id
    ? eq(contacts.id, where.id)
    : where.emailKey
      ? eq(contacts.emailKey, where.emailKey)
      : eq(contacts.phone, where.phone ?? "");
  return drizzle(database)
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), isNull(contacts.erasedAt), filter))
    .get();
}

/** Who a link request found: whose page, the address the link goes to, and how their contact wants to be reached. */
type Found = { person: Person; sendTo: string; locale: Locale | null; contact: PageLinkContact | null };

/**
 * The person a link request names, with the address the link goes to; null when the org knows
 * nobody by it (no contact, no registration, no invitation). A deactivated contact gets no link.
 */
export async function personFor(database: D1Database, orgId: string, target: LinkTarget): Promise<Found | null> {
  const contact =
    target.kind === "email"
      ? await contactBy(database, orgId, { emailKey: target.key })
      : await contactBy(database, orgId, { phone: target.e164 });
  if (contact?.status === "deactivated") return null;
  if (contact?.email && contact.emailKey)
    return {
      person: { orgId, email: contact.emailKey, contactId: contact.id },
      sendTo: contact.email,
      locale: contact.locale,
      contact: { channel: contact.channel, phone: contact.phone },
    };
  // A contact reached by phone alone has no address to send the link to (see the README).
  if (target.kind !== "email") return null;
  const held = await sessionsHolding(database, orgId, target.key);
  return held.length ? { person: { orgId, email: target.key, contactId: null }, sendTo: target.key, locale: null, contact: null } : null;
}

/**
 * Looks the person up and, when the org knows them, sends a link to their page (naming the org):
 * by text when they asked by phone and their contact chose SMS, else by email. The caller answers
 * the same either way, and runs this after answering, so neither the answer nor its timing tells
 * who is known.
 */
export async function sendPageLink(
  env: Env,
  queues: { mail: MailQueue; sms: Pick<Sends<QueuedSms>, "send"> },
  input: { orgId: string; orgName: string; target: LinkTarget; baseUrl: string; locale: Locale },
  now: Date,
): Promise<boolean> {
  const found = await personFor(env.DB, input.orgId, input.target);
  if (!found) return false;
  const message = await pageLinkMessage(env.DB, found, input, now);
  const text = await pageLinkAsText(env, message, input.target.kind, found.contact);
  if (text) await queues.sms.send(text, { contentType: "json" });
  else await queues.mail.send(message);
  return true;
}

/**
 * Emails the link to their page to someone already known to be the org's (a registrant who
 * pressed "that's me" on a session's code page), in their contact's language if they have one,
 * else the registration's.
 */
export async function emailPageLinkTo(
  env: Env,
  queue: MailQueue,
  input: { orgId: string; orgName: string; email: string; baseUrl: string; locale: Locale },
  now: Date,
): Promise<void> {
  const key = emailKey(input.email);
  const contact = await contactBy(env.DB, input.orgId, { emailKey: key });
  if (contact?.status === "deactivated") return;
  const found = {
    person: { orgId: input.orgId, email: key, contactId: contact?.id ?? null },
    sendTo: input.email,
    locale: contact?.locale ?? null,
  };
  await queue.send(await pageLinkMessage(env.DB, found, input, now));
}

/** A one-time link to the person's page (only its hash kept in D1), as the message that carries it. */
async function pageLinkMessage(
  database: D1Database,
  found: Pick<Found, "person" | "sendTo" | "locale">,
  input: { orgName: string; baseUrl: string; locale: Locale },
  now: Date,
): Promise<MailMessage<"page_link">> {
  const { token, expiresAt } = await issuePageLink(database, found.person, now);
  return {
    id: `msg_${randomSecret(12)}`,
    template: "page_link",
    to: found.sendTo,
    locale: found.locale ?? input.locale,
    data: { link: input.baseUrl + pageLinkPath(token), expiresAt, orgName: input.orgName },
  };
}

/** The person's contact in the org: by id when the link named one, else by address. */
export async function contactOf(database: D1Database, person: Person): Promise<ContactRow | null> {
  const byId = person.contactId ? await contactBy(database, person.orgId, { id: person.contactId }) : null;
  if (byId) return byId;
  return person.email ? ((await contactBy(database, person.orgId, { emailKey: person.email })) ?? null) : null;
}

/** The upcoming sessions where the person has something open, in time order, each as its ledger sees them. */
export async function upcomingSeats(env: Env, person: Person, now: Date): Promise<ProgramSessionSeat[]> {
  const email = person.email;
  if (!email) return [];
  const ids = await sessionsHolding(env.DB, person.orgId, email, now);
  const answers = (await fewAtATime(ids, (id) => sessionLedger(env, id).programSeat(person.orgId, email))) as Outcome<ProgramSessionSeat>[];
  return answers
    .flatMap((a) => (a.ok && a.value.status !== "closed" ? [a.value] : []))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.sessionId.localeCompare(b.sessionId));
}

/** The person's place in one session of the org, or null when the session is not the org's (or not a session). */
export async function seatIn(env: Env, person: Person, sessionId: string): Promise<ProgramSessionSeat | null> {
  if (!person.email || !isSessionId(sessionId)) return null;
  const seat = (await sessionLedger(env, sessionId).programSeat(person.orgId, person.email)) as Outcome<ProgramSessionSeat>;
  return seat.ok ? seat.value : null;
}

export type SeatAction = "accept" | "decline" | "cancel" | "pay";

/** Accepts or declines the person's invitation, pays for the seat held for them, or cancels their registration: the session's ledger decides. */
export async function actOnSeat(
  env: Env,
  person: Person,
  sessionId: string,
  action: SeatAction,
  requestUrl: string,
  now: Date,
  /** Accepting: the answers to the session's questions, and the language the page speaks to the person. */
  { locale, ...answering }: Answering & { locale?: Locale } = {},
): Promise<Outcome<{ refusal: string | null; errors?: FieldError[]; checkoutUrl?: string }>> {
  const email = person.email;
  if (!email || !isSessionId(sessionId)) return ok({ refusal: "not_found" });
  const ledger = sessionLedger(env, sessionId);
  if (action === "cancel") {
    const cancelled = (await ledger.cancelForPerson(person.orgId, email)) as Outcome<unknown>;
    return ok({ refusal: cancelled.ok ? null : cancelled.error.code });
  }
  // Accepted in a priced session: the seat is held while the person pays, as on the invitation's link.
  // Back to their own page afterwards (this worker's own origin: always an allowed return).
  const returnUrl = `${new URL(requestUrl).origin}/p/me`;
  return ok(
    await answerSeat(env, ledger, {
      orgId: person.orgId,
      email,
      answer: action,
      url: requestUrl,
      sessionId,
      returnUrl,
      now,
      answering,
      locale,
    }),
  );
}

/**
 * Saves the person's details on their contact, creating the contact when the org has none yet for
 * this address (someone who registered before the directory existed): the page is where they say
 * how to reach them, and the directory is where every message looks.
 */
export async function saveProfile(env: Env, person: Person, profile: ProfileInput, now: Date): Promise<Outcome<{ contactId: string }>> {
  const existing = await contactOf(env.DB, person);
  if (existing) {
    const edited = await editContact(env, person.orgId, existing.id, profile, now);
    return edited.ok ? ok({ contactId: edited.value.id }) : edited;
  }
  if (!person.email) return ok({ contactId: "" });
  const created = await createOneContact(env, person.orgId, { email: person.email, ...profile }, now);
  return created.ok ? ok({ contactId: created.value.id }) : created;
}
