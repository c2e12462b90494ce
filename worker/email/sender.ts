// Who an email says it is from: the organisation (its sender name, else its name) in front of the
// verified address of MAIL_FROM, and its reply-to (else its owner's address). Pure: the consumer
// looks the settings up, deliver() applies them.

import type { OrgSettings } from "../db/schema";
import type { SessionOrg } from "../orgs/orgs";
import type { MailMessage } from "./message";

/** What an organisation's settings say about the mail sent on its behalf, with its name and its owner's address. */
export type SenderSettings = Pick<OrgSettings, "senderName" | "replyTo"> & { orgName?: string; ownerEmail?: string | null; orgId?: string };

/** The header fields of one email that depend on who sends it. */
export type Sender = { from: string; replyTo?: string };

/**
 * The From and Reply-To of a message: the org's sender name, or its name; its reply-to, or its
 * owner's address, so that a parent's answer reaches the org and not a no-reply box. Without an
 * org (sign-in links, a session the projection does not know): MAIL_FROM, no Reply-To. Only the
 * display name changes: the address stays the one of MAIL_FROM, the domain verified with the provider.
 */
export function senderOf(mailFrom: string, settings: SenderSettings | undefined): Sender {
  const name = displayNameText(settings?.senderName ?? "") || displayNameText(settings?.orgName ?? "");
  const replyTo = replyToOf(settings);
  return {
    from: name ? mailbox(name, addressOf(mailFrom)) : mailFrom,
    ...(replyTo ? { replyTo } : {}),
  };
}

/** Where answers go: the org's reply-to, else its owner's address, else nowhere in particular. */
export function replyToOf(settings: SenderSettings | undefined): string | undefined {
  return settings?.replyTo?.trim() || settings?.ownerEmail?.trim() || undefined;
}

/** The session whose org's settings apply to a message; sign-in and page links belong to no session. */
export function senderSessionOf(message: Pick<MailMessage, "template" | "sessionId">): string | undefined {
  return message.template === "sign_in" || message.template === "page_link" ? undefined : message.sessionId;
}

/** What the mail of a session's org needs of it: its sender settings, its name and its owner's address. */
export function mailSettingsOf(org: SessionOrg): SenderSettings {
  return { ...org.settings, orgName: org.name, ownerEmail: org.ownerEmail, orgId: org.orgId };
}

/** The settings that apply to a message, from those of each session's org. */
export function senderSettingsOf(
  message: Pick<MailMessage, "template" | "sessionId">,
  bySession: ReadonlyMap<string, SenderSettings>,
): SenderSettings | undefined {
  const sessionId = senderSessionOf(message);
  return sessionId === undefined ? undefined : bySession.get(sessionId);
}

/** `"name" <address>` with the name as an RFC 5322 quoted-string, so quotes and commas stay inside it. */
export function mailbox(name: string, address: string): string {
  return `${quotedString(displayNameText(name))} <${address}>`;
}

/** RFC 5322 §3.2.4: a quoted-string holds any text but `"` and `\`, which are escaped with `\`. */
export function quotedString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const CONTROL_RUN = /[\u0000-\u001f\u007f]+/g;

/** A run of whitespace, but for the no-break spaces French typography puts before : ; ! ? and inside « ». */
const BREAKING_SPACE_RUN = /[^\S\u00a0\u202f]+/g;

/**
 * A name or a subject fit for a header: no line breaks or other control characters (they would
 * end the header or smuggle in another one), runs of breaking whitespace folded to one space; a
 * no-break space stays, so "Inscription confirmée : …" keeps its colon on the word's line.
 */
export function displayNameText(name: string): string {
  return name.replace(CONTROL_RUN, " ").replace(BREAKING_SPACE_RUN, " ").trim();
}

/** The address of a mailbox written `Name <address>` or as a bare address. */
export function addressOf(mailbox: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(mailbox);
  return (angle ? angle[1]! : mailbox).trim();
}
