// Which channel a message takes. Pure: the divert (divert.ts) loads the contact and the opt-outs,
// this decides, and the email stays an email unless every condition for a text holds.

import { toE164 } from "../contacts/phone";
import type { MailTemplate } from "../email/message";
import { isSmsTemplate } from "./texts";

/** What decides the channel, from the recipient's contact in the message's org (none: not a contact). */
export type Recipient = {
  channel: "email" | "sms";
  phone: string | null;
  /** The number answered STOP (or ARRET) and has not answered START since. */
  optedOut: boolean;
} | null;

/** Why a contact who chose SMS still gets an email. */
export const SMS_FALLBACKS = ["no_phone", "invalid_phone", "opted_out"] as const;
export type SmsFallback = (typeof SMS_FALLBACKS)[number];

export type ChannelChoice = { channel: "sms"; phone: string } | { channel: "email"; fallback?: SmsFallback };

export function channelFor(template: MailTemplate, recipient: Recipient): ChannelChoice {
  if (!isSmsTemplate(template)) return { channel: "email" };
  return chosenChannel(recipient);
}

/**
 * The link to a person's own page, asked for on /p/{org}: texted only when the ask named a phone
 * number and that number's contact chose SMS (a usable number that has not said STOP); an ask by
 * address is answered at the address.
 */
export function pageLinkChannel(askedBy: "email" | "phone", recipient: Recipient): ChannelChoice {
  return askedBy === "phone" ? chosenChannel(recipient) : { channel: "email" };
}

/** The contact's own choice, when it can be honoured. */
function chosenChannel(recipient: Recipient): ChannelChoice {
  if (recipient?.channel !== "sms") return { channel: "email" };
  if (!recipient.phone) return { channel: "email", fallback: "no_phone" };
  const phone = toE164(recipient.phone);
  if (!phone.ok) return { channel: "email", fallback: "invalid_phone" };
  if (recipient.optedOut) return { channel: "email", fallback: "opted_out" };
  return { channel: "sms", phone: phone.e164 };
}
