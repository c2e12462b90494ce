// The words of <rollcall-roster> in English (the shared ones included).

import { plural } from "../../worker/i18n/plural";
import type { InvitationStatus } from "../../worker/invitations/statuses";
import type { PaymentStatus } from "../../worker/payments/decide";
import type { RegistrationStatus } from "../../worker/registrations/statuses";
import type { RosterFlag, RosterGroup } from "../../worker/roster/groups";
import type { RegistrationState } from "../../worker/sessions/statuses";
import { en } from "../i18n/en";

const n = (count: number, one: string, other: string) => plural("en", count, one, other);

export const rosterEn = {
  ...en,
  remove: "Remove",
  send: "Send",
  cancel: "Cancel",
  seatsSummary: (taken: number, capacity: number) => `${taken} of ${capacity} ${n(capacity, "seat", "seats")} taken`,
  held: (count: number) => n(count, `${count} held by an invitation`, `${count} held by invitations`),
  available: (count: number) => `${count} available`,
  onWaitlist: (count: number) => `${count} on the waitlist`,
  toMinimum: (count: number, min: number) => `${count} more to reach the minimum of ${min}`,
  minimumReached: (min: number) => `Minimum of ${min} reached`,
  decided_run: "Runs: minimum decided",
  decided_cancelled: "Cancelled: too few participants",
  decided_asked: "Below the minimum: members asked",
  mailWaiting: (n: number) => `${n} email${n > 1 ? "s" : ""} waiting to be sent`,
  mailFailed: (n: number) => `${n} email${n > 1 ? "s" : ""} could not be sent`,
  group_confirmed: "Confirmed",
  group_waitlist: "Waitlist",
  group_invitations_sent: "Invitations sent",
  group_invitations_to_send: "Invitations to send",
  group_closed: "Expired / declined / cancelled",
  nobody: "No one yet.",
  status: "Status",
  actions: "Actions",
  position: (p: number) => `#${p}`,
  sendAll: (count: number) => `Send all to send (${count})`,
  resendAll: (count: number) => `Resend all pending (${count})`,
  exportCsv: "Export CSV",
  erase: "Erase",
  eraseTitle: "Erase personal data",
  eraseWho: (name: string, email: string) => (name ? `${name} (${email})` : email),
  eraseWhat:
    "Name, email address and answers are removed from this session. The seat and the counts stay; a pending invitation is cancelled, without an email.",
  eraseFinal: "This cannot be undone.",
  eraseConfirm: (who: string) => `Erase ${who}`,
  erased: "Erased",
  erasing: (who: string) => `Erasing ${who}…`,
  erasedDone: (who: string) => `${who}: personal data erased.`,
  resend: "Resend",
  flag_bounced: "Email bounced",
  flag_complained: "Marked as spam",
  flag_delivery_failed: "Email not delivered",
  flag_capacity_raised: "Raised the capacity",
  discount: (code: string) => `Discount ${code}`,
  // A registration's money, its amount formatted ("€22.50"), read with its mark.
  pay_pending: (amount: string) => `Awaiting payment ${amount}`,
  pay_paid: (amount: string) => `Paid ${amount}`,
  pay_refund_due: (amount: string) => `Refund due ${amount}`,
  pay_refunded: (amount: string) => `Refunded ${amount}`,
  pay_unpaid: (_amount: string) => "Unpaid",
  price: (amount: string) => `Price: ${amount}`,
  paidSoFar: (amount: string) => `Paid so far: ${amount}`,
  flag_email_mismatch: "Registered with another email",
  flag_reopened: "Re-opened after declining",
  flag_erased: "Personal data erased",
  flag_host: "Host",
  answer: (question: string, answer: string) => `${question}: ${answer}`,
  channel_sms: "Sent by SMS",
  smsFallback_no_phone: "SMS preferred, sent by email: no phone number",
  smsFallback_invalid_phone: "SMS preferred, sent by email: invalid phone number",
  smsFallback_opted_out: "SMS preferred, sent by email: replied STOP",
  status_confirmed: "confirmed",
  status_waitlisted: "waitlisted",
  status_cancelled: "cancelled",
  status_pending_confirmation: "awaiting email confirmation",
  status_pending_payment: "awaiting payment",
  status_draft: "to send",
  status_scheduled: "scheduled",
  status_sent: "pending",
  status_accepted: "accepted",
  status_declined: "declined",
  status_expired: "expired",
  state_not_yet_open: "Registration not open yet",
  state_open: "Registration open",
  state_full: "Full",
  state_closed: "Registration closed",
  state_cancelled: "Cancelled",
  goesAt: (when: string) => `goes ${when}`,
  // Asking first, undoing, and saying what was done.
  removeTitle: (who: string) => `Remove ${who}?`,
  removeBody: (who: string) => `${who} will be told by email, and their seat freed for the next person.`,
  removeYes: "Remove",
  cancelTitle: (who: string) => `Cancel the invitation to ${who}?`,
  cancelBody: "The invitation link stops working and any seat it holds is freed. If it was sent, the person is told by email.",
  cancelYes: "Cancel the invitation",
  keep: "Keep",
  undo: "Undo",
  removing: (who: string) => `Removing ${who}…`,
  cancelling: (who: string) => `Cancelling the invitation to ${who}…`,
  undone: (who: string) => `Undone: nothing changes for ${who}.`,
  removed: (who: string) => `${who} removed.`,
  cancelled: (who: string) => `Invitation to ${who} cancelled.`,
  sent: (who: string) => `Invitation sent to ${who}.`,
  resent: (who: string) => `Invitation sent again to ${who}.`,
  sentAll: (count: number) => n(count, `${count} invitation sent.`, `${count} invitations sent.`),
  resentAll: (count: number) => n(count, `${count} invitation sent again.`, `${count} invitations sent again.`),
  skippedAll: (count: number) => n(count, `${count} could not be sent.`, `${count} could not be sent.`),
  exported: (file: string) => `Downloaded ${file}.`,
};

// Every status, group, flag, state and payment status the roster can show has its words: a new one in the worker fails the typecheck here.
rosterEn satisfies Record<
  `status_${RegistrationStatus | InvitationStatus}` | `group_${RosterGroup}` | `flag_${RosterFlag}` | `state_${RegistrationState}`,
  string
>;
rosterEn satisfies Record<`pay_${PaymentStatus}`, (amount: string) => string>;
