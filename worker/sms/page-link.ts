// A participant page's link by text: someone asks for their page on /p/{org} by phone number, and
// the contact of that number chose SMS. The decision is channel.ts's (pageLinkChannel), the text
// texts.ts's; this loads the opt-out and builds the SMS queue's message. The SMS consumer sends it
// like any other text, and gives it back to email if the number says STOP before it leaves.

import type { MailMessage } from "../email/message";
import { pageLinkChannel } from "./channel";
import { textsCanGo } from "./code-channel";
import { STATUS_CALLBACK_PATH } from "./divert";
import { optedOut } from "./log";
import type { QueuedSms } from "./message";
import { countSegments } from "./segments";
import { pageLinkText } from "./texts";

/** The contact the ask found: how they want to be reached. */
export type PageLinkContact = { channel: "email" | "sms"; phone: string | null };

/** The page link's message as a text when it should go by SMS; null when it stays an email. */
export async function pageLinkAsText(
  env: Env,
  message: MailMessage<"page_link">,
  askedBy: "email" | "phone",
  contact: PageLinkContact | null,
): Promise<QueuedSms | null> {
  if (askedBy !== "phone" || contact?.channel !== "sms" || !textsCanGo(env)) return null;
  const stopped = contact.phone ? await optedOut(env.DB, [contact.phone]) : new Set<string>();
  const choice = pageLinkChannel(askedBy, { ...contact, optedOut: !!contact.phone && stopped.has(contact.phone) });
  if (choice.channel !== "sms") {
    if (choice.fallback) console.log(`sms: ${message.id} goes by email (${choice.fallback})`);
    return null;
  }
  const body = pageLinkText(message);
  const origin = new URL(message.data.link).origin;
  return {
    mail: message,
    to: choice.phone,
    body,
    segments: countSegments(body).segments,
    ...(/^https:\/\//.test(origin) ? { statusCallback: `${origin}${STATUS_CALLBACK_PATH}?m=${encodeURIComponent(message.id)}` } : {}),
  };
}
