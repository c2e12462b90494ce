// The words of <rollcall-roster> in English (the shared ones included).

import type { InvitationStatus } from "../../worker/invitations/statuses";
import type { RegistrationStatus } from "../../worker/registrations/statuses";
import type { RosterFlag, RosterGroup } from "../../worker/roster/groups";
import { en } from "../i18n/en";

export const rosterEn = {
  ...en,
  remove: "Remove",
  send: "Send",
  cancel: "Cancel",
  seatsSummary: (taken: number, capacity: number) => `${taken} of ${capacity} seats taken`,
  held: (n: number) => `${n} held by invitations`,
  available: (n: number) => `${n} available`,
  onWaitlist: (n: number) => `${n} on the waitlist`,
  toMinimum: (n: number, min: number) => `${n} more to reach the minimum of ${min}`,
  minimumReached: (min: number) => `Minimum of ${min} reached`,
  group_confirmed: "Confirmed",
  group_waitlist: "Waitlist",
  group_invitations_sent: "Invitations sent",
  group_invitations_to_send: "Invitations to send",
  group_closed: "Expired / declined / cancelled",
  nobody: "No one yet.",
  status: "Status",
  actions: "Actions",
  position: (n: number) => `#${n}`,
  sendAll: (n: number) => `Send all to send (${n})`,
  resendAll: (n: number) => `Resend all pending (${n})`,
  exportCsv: "Export CSV",
  erase: "Erase",
  eraseTitle: "Erase personal data",
  eraseWho: (name: string, email: string) => (name ? `${name} (${email})` : email),
  eraseWhat:
    "Name, email address and answers are removed from this session. The seat and the counts stay; a pending invitation is cancelled, without an email.",
  eraseFinal: "This cannot be undone.",
  eraseConfirm: (who: string) => `Erase ${who}`,
  erased: "Erased",
  resend: "Resend",
  flag_bounced: "Email bounced",
  flag_complained: "Marked as spam",
  flag_delivery_failed: "Email not delivered",
  flag_capacity_raised: "Raised the capacity",
  flag_email_mismatch: "Registered with another email",
  flag_erased: "Personal data erased",
  status_confirmed: "confirmed",
  status_waitlisted: "waitlisted",
  status_cancelled: "cancelled",
  status_draft: "to send",
  status_scheduled: "scheduled",
  status_sent: "pending",
  status_accepted: "accepted",
  status_declined: "declined",
  status_expired: "expired",
};

// Every status, group and flag the roster can show has its words: a new one in the worker fails the typecheck here.
rosterEn satisfies Record<`status_${RegistrationStatus | InvitationStatus}` | `group_${RosterGroup}` | `flag_${RosterFlag}`, string>;
