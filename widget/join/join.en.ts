// The words of <rollcall-join> in English (the shared ones included).

import { en } from "../i18n/en";

export const joinEn = {
  ...en,
  seatsLeft: (n: number) => (n === 1 ? "1 seat left" : `${n} seats left`),
  moreNeeded: (n: number) => `${n} more needed for this to run.`,
  yourTime: "Times are shown in your time zone.",
  localTime: (time: string, zone: string) => `At the session: ${time} (${zone}).`,
  zoneNamed: (zone: string) => `Session time zone: ${zone}.`,
  notYetOpen: (date: string) => `Registration opens on ${date}.`,
  waitlistOpen: "The session is full. The waitlist is open.",
  full: "The session is full.",
  closed: "Registration is closed.",
  cancelled: "This session is cancelled.",
  join: "Join",
  joinWaitlist: "Join the waitlist",
  code: "Registration code",
  discountCode: "Discount code (optional)",
  register: "Register",
  required: "Required.",
  requiredNote: "Fields marked * are required.",
  attending: "You are attending!",
  waitlisted: (n: number | null) => (n ? `You are on the waitlist (position ${n}).` : "You are on the waitlist."),
  checkEmail: "A confirmation is on its way to your inbox.",
  linkByEmail: "The meeting link is in your confirmation email.",
};
