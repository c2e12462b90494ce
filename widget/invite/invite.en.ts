// The words of <rollcall-invite> in English (the shared ones included).

import { en } from "../i18n/en";

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
  invalidCount: (n: number) =>
    n === 1 ? "1 address is not valid: fix or remove it." : `${n} addresses are not valid: fix or remove them.`,
  count: (n: number, max: number) => `${n} / ${max}`,
  tooMany: (max: number) => `At most ${max} addresses at a time.`,
  noRecipients: "Add at least one address.",
  removeAddress: (a: string) => `Remove ${a}`,
  discountCode: "Discount code",
  holdSeat: "Hold a seat for each person",
  requireEmailMatch: "Only the invited address can accept",
  requireEmailMatchHint: "Accepting asks for a code emailed to that address, so a forwarded link does not work.",
  expiresInDays: "Expires after (days)",
  when: "When",
  sendNow: "Send now",
  sendLater: "Keep as “to send”",
  schedule: "Schedule",
  scheduleAt: "Send on",
  scheduleFuture: "Pick a date and time in the future.",
  subject: "Subject",
  buttonText: "Button text",
  message: "Message",
  preview: "Preview",
  previewTitle: "Preview of the invitation email",
  save: "Save",
  capacityTitle: "Not enough seats",
  capacityChange: (requested: number, available: number, from: number, to: number) =>
    `${requested} invitations hold a seat and ${available} ${available === 1 ? "is" : "are"} free. Sending them raises capacity from ${from} to ${to}.`,
  raiseAndSend: "Raise capacity and send",
  created: (n: number) => (n === 1 ? "1 invitation created." : `${n} invitations created.`),
  skipped: (n: number) =>
    n === 1
      ? "1 address skipped (duplicate, already invited or registered)."
      : `${n} addresses skipped (duplicates, already invited or registered).`,
  raised: (n: number) => `Capacity raised by ${n}.`,
};
