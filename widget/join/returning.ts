// A returning registrant, on the browser that registered: <rollcall-join> kept only the opaque
// manage token the registration's answer gave (never a name or an address), under the API's origin
// and the session's id. On a later visit the API says, to the holder of that token only, whether it
// still holds a seat or a place in line, and the element says so, with the link to cancel, instead
// of Join. A chunk of its own: fetched only where a token was kept.

import { html, type TemplateResult } from "lit";
import type { Locale } from "../../worker/i18n/locales";
import type { client } from "../api/client";

const words: Record<Locale, { attending: string; waitlisted: (n: number | null) => string; cancel: string; leave: string }> = {
  en: {
    attending: "You are attending!",
    waitlisted: (n) => (n ? `You are on the waitlist (position ${n}).` : "You are on the waitlist."),
    cancel: "Cancel my registration",
    leave: "Leave the waitlist",
  },
  fr: {
    attending: "Vous participez !",
    waitlisted: (n) => (n ? `Vous êtes sur la liste d’attente (position ${n}).` : "Vous êtes sur la liste d’attente."),
    cancel: "Annuler mon inscription",
    leave: "Quitter la liste d’attente",
  },
};

export type Standing = { status: "confirmed" | "waitlisted"; waitlistPosition: number | null; manageUrl: string };

/**
 * Where the kept token stands: confirmed or waitlisted, or null. A token the API no longer knows,
 * or whose registration is over, is forgotten; one that could not be checked (offline) is kept.
 */
export async function standing(http: ReturnType<typeof client>, base: string, session: string, token: string): Promise<Standing | null> {
  const key = keyOf(base, session);
  const answer = await http.call("/v1/manage/:token", "$get", { param: { token } });
  if (!answer.ok) {
    if (answer.problem.status === 404) forget(key);
    return null;
  }
  const { status, waitlistPosition } = answer.value;
  if (status === "confirmed" || status === "waitlisted")
    return { status, waitlistPosition, manageUrl: `${base}/m/${encodeURIComponent(token)}` };
  if (status === "cancelled") forget(key);
  return null;
}

/** Where this browser keeps a registration's manage token: per API and session (join.ts writes and reads it). */
const keyOf = (base: string, session: string) => `rollcall:${base}:${session}`;

function forget(key: string) {
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage refused (private mode, a sandboxed frame): nothing was kept.
  }
}

/** "You are attending!" (or the waitlist's place) and the link to the registrant's own page, where they can cancel. */
export function standingBody(locale: Locale, s: Standing): TemplateResult {
  const w = words[locale];
  const confirmed = s.status === "confirmed";
  return html`<div part="message" class="message" role="status">
    <p><strong>${confirmed ? w.attending : w.waitlisted(s.waitlistPosition)}</strong></p>
    <p><a part="manage" href=${s.manageUrl} target="_blank" rel="noopener">${confirmed ? w.cancel : w.leave}</a></p>
  </div>`;
}
