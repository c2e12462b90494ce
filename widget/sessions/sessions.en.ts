// The words of <rollcall-sessions> in English (the shared ones included).

import { en } from "../i18n/en";

export const sessionsEn = {
  ...en,
  heading: "Upcoming sessions",
  none: "No upcoming sessions.",
  seatsLeft: (n: number) => (n === 1 ? "1 seat left" : `${n} seats left`),
  full: "Full",
  waitlistOpen: "Full — waitlist open",
  closed: "Registration closed",
  notYetOpen: "Registration not open yet",
  join: "Join",
  joinWaitlist: "Join the waitlist",
  joinLabel: (action: string, title: string) => `${action}: ${title}`,
  program: "Program",
  tag: "Tag",
  all: "All",
  more: "Show more",
  unknownOrg: "No organisation has this public address.",
  unknownHost: "No one in this organisation has this public page.",
  hostHeading: (name: string) => `Upcoming sessions with ${name}`,
  with: (name: string) => `With ${name}`,
  yourTime: "Times are shown in your time zone.",
};
