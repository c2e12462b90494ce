// The words of <rollcall-invite> in English (the shared ones included).

import { plural } from "../../worker/i18n/plural";
import type { CreatedInvitations } from "../api/client";
import { en } from "../i18n/en";

const n = (count: number, one: string, other: string) => plural("en", count, one, other);

/** Why the API skipped an address, or a contact chosen in the picker (the admin's words for the same). */
export type SkipReason = CreatedInvitations["skipped"][number]["reason"];
export type SkipWords = Record<SkipReason, string>;

const why: SkipWords = {
  duplicate: "listed twice",
  already_invited: "already invited",
  already_registered: "already registered",
  no_email: "no email address",
  phone_only: "reached by SMS only: add an email address to invite them",
  deactivated: "contact deactivated",
};

export const inviteEn = {
  ...en,
  send: "Send",
  cancel: "Cancel",
  close: "Close",
  addParticipant: "+ Add participant",
  addParticipants: "Add participants",
  recipients: "Email addresses",
  recipientsHint: "Paste one or many: separated by commas, semicolons, spaces or new lines.",
  invalidAddress: "not a valid address",
  invalidCount: (count: number) =>
    n(count, `${count} address is not valid: fix or remove it.`, `${count} addresses are not valid: fix or remove them.`),
  count: (n: number, max: number) => `${n} / ${max}`,
  tooMany: (max: number) => `At most ${max} addresses at a time.`,
  noRecipients: "Add at least one address.",
  removeAddress: (a: string) => `Remove ${a}`,
  editAddress: (a: string) => `Edit ${a}`,
  edit: "edit",
  discountCode: "Discount code",
  noDiscount: "No discount",
  percentOff: (code: string, percent: string) => `${code} (${percent} off)`,
  amountOff: (code: string, amount: string) => `${code} (${amount} off)`,
  holdSeat: "Hold a seat for each person",
  requireEmailMatch: "Only the invited address can accept",
  requireEmailMatchHint: "Accepting asks for a code emailed to that address, so a forwarded link does not work.",
  expiresInDays: "Expires after (days)",
  when: "When",
  sendNow: "Send now",
  sendLater: "Keep as “to send”",
  schedule: "Schedule",
  scheduleAt: (zone: string) => `Send on (${zone} time)`,
  goesAt: (when: string) => `Goes ${when}.`,
  scheduleFuture: "Pick a date and time in the future.",
  language: "Language of the invitation",
  languageHint: "For people without a language of their own: a contact who chose one gets the invitation in theirs.",
  subject: "Subject",
  buttonText: "Button text",
  message: "Message",
  preview: "Preview",
  previewTitle: "Preview of the invitation email",
  save: "Save",
  capacityTitle: "Not enough seats",
  capacityChange: (requested: number, available: number, from: number, to: number) =>
    `${n(requested, `${requested} invitation holds a seat`, `${requested} invitations hold a seat`)} and ${available} ${n(available, "is", "are")} free. ` +
    `Inviting ${n(requested, "this person", "them")} raises capacity from ${from} to ${to}.`,
  raiseAndSend: "Raise capacity and send",
  raiseAndSave: "Raise capacity and save",
  created: (count: number) => (count ? n(count, `${count} invitation created.`, `${count} invitations created.`) : "No one was invited."),
  skipped: (count: number) => n(count, `${count} person skipped:`, `${count} people skipped:`),
  skippedAs: (who: string, reason: SkipReason) => `${who}: ${why[reason]}`,
  moreSkipped: (count: number) => `…and ${count} more.`,
  raised: (count: number) => `Capacity raised by ${count}.`,
  choose: "Choose from your people",
};
