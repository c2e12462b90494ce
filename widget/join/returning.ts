// A returning registrant, on the browser that registered: <rollcall-join> kept only the opaque
// manage token the registration's answer gave (never a name or an address), under the API's origin
// and the session's id. On a later visit the API says, to the holder of that token only, whether it
// still holds a seat or a place in line, and the element says so, with the link to cancel, instead
// of Join; right after registering, the done view shows the same cancel link. A chunk of its own:
// fetched only where a token was kept, where the page's address says it is back from checkout,
// where a priced session's form opens, or once registered.
//
// A priced session's registration waits for its payment: the element also keeps where to pay
// (the checkout's address, the hold's end and the amount owed: nothing personal) and sends the
// browser there. Checkout sends it back to the page with `rollcall_checkout=paid|cancelled`, which
// the element takes out of the address bar; the manage token then says whether the payment went
// through (confirmed), is still awaited (pending_payment) or the seat went back (cancelled).

import { html, nothing, type TemplateResult } from "lit";
import type { Locale } from "../../worker/i18n/locales";
import type { Client, Registered } from "../api/client";

const words = {
  en: {
    attending: "You are attending!",
    waitlisted: (n: number | null) => (n ? `You are on the waitlist (position ${n}).` : "You are on the waitlist."),
    cancel: "Cancel my registration",
    leave: "Leave the waitlist",
    paid: "Payment received",
    held: (time: string) => `Your seat is held until ${time}.`,
    pay: "Complete your payment",
    due: (amount: string) => `You pay ${amount}`,
    going: "Taking you to payment…",
    released: "Payment not completed — the seat was released.",
    backPaid: "Back from checkout: your confirmation email, with your link to cancel, follows the payment.",
    backCancelled: "Checkout left: nothing was charged.",
  },
  fr: {
    attending: "Vous participez !",
    waitlisted: (n: number | null) => (n ? `Vous êtes sur la liste d’attente (position ${n}).` : "Vous êtes sur la liste d’attente."),
    cancel: "Annuler mon inscription",
    leave: "Quitter la liste d’attente",
    paid: "Paiement reçu",
    held: (time: string) => `Votre place est réservée jusqu’à ${time}.`,
    pay: "Finaliser le paiement",
    due: (amount: string) => `Vous payez ${amount}`,
    going: "Redirection vers le paiement…",
    released: "Paiement non effectué : la place a été libérée.",
    backPaid: "Retour du paiement : votre e-mail de confirmation, avec votre lien pour annuler, suit le paiement.",
    backCancelled: "Paiement abandonné : rien n’a été débité.",
  },
} satisfies Record<Locale, unknown>;

/** Where to pay, as this browser keeps it beside the manage token: the checkout, the hold's end, what is owed. */
export type Checkout = { url: string; until: string; amount: number; currency: string };

export type Standing =
  | { status: "confirmed" | "waitlisted"; waitlistPosition: number | null; manageUrl: string; paid?: boolean }
  | { status: "pending_payment"; manageUrl: string; checkout: Checkout | null }
  /** Leaving for checkout now. */
  | { status: "paying"; checkout: Checkout }
  /** Back from a checkout that was abandoned, or whose hold lapsed: the Join form shows again below. */
  | { status: "released" }
  /**
   * Back from checkout on a page that kept no token: the session's own page, where checkout returns
   * when the org lists no origin for the page the person registered on. The Join form shows below.
   */
  | { status: "returned"; paid: boolean };

/** The element as this chunk works on it. */
export type Host = HTMLElement & {
  readonly base: string;
  readonly data?: { id: string } | undefined;
  readonly http: Client;
  standing: Standing | null | undefined;
  requestUpdate(): void;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
};

const PARAM = "rollcall_checkout";

/**
 * The page's way back from checkout, and how it leaves for it (tests replace `go`). `back` is the
 * `rollcall_checkout` value the page was loaded with, kept once read: every element of the page
 * sees it, though the first one takes it out of the address bar.
 */
export const checkout = {
  back: null as string | null,
  /**
   * To checkout, in the top window (`location.assign` where the element is not framed): payment
   * pages refuse to be framed (Stripe Checkout, and the dev page's frame-ancestors 'none'), so an
   * element in a frame takes the whole tab there, which a frame may do after a click. Setting
   * `href` is what a frame may do to another origin's top window (`assign` it may not call). A
   * frame sandboxed without allow-top-navigation opens checkout in a new tab instead.
   */
  go(url: string) {
    try {
      top!.location.href = url;
    } catch {
      open(url, "_blank", "noopener");
    }
  },
};

function returned(): string | null {
  const url = new URL(location.href);
  if (url.searchParams.has(PARAM)) {
    checkout.back = url.searchParams.get(PARAM);
    url.searchParams.delete(PARAM);
    history.replaceState(history.state, "", url);
  }
  return checkout.back;
}

/**
 * The address checkout sends the registrant back to: the page's own, without the return's
 * parameter. In a frame, the top page's when it can be read (same origin); a page on another
 * origin keeps its address from its frames, and then none is sent (checkout goes back to the
 * session's own page). None either past 2000 characters or off http(s), which the API refuses.
 */
export function returnUrl(): string | undefined {
  try {
    const url = new URL(top!.location.href);
    if (url.searchParams.has(PARAM)) url.searchParams.delete(PARAM);
    if (/^https?:$/.test(url.protocol) && url.href.length <= 2000) return url.href;
  } catch {
    // A frame of another origin's page.
  }
}

/** Where this browser keeps a registration's manage token: per API and session (join.ts writes and reads it). */
const keyOf = (base: string, session: string) => `rollcall:${base}:${session}`;

function store(key: string, value?: string) {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage refused (private mode, a sandboxed frame): nothing was kept.
  }
}

function keptCheckout(key: string): Checkout | null {
  try {
    return JSON.parse(localStorage.getItem(`${key}:checkout`) ?? "null");
  } catch {
    return null;
  }
}

/**
 * Where the kept token stands: confirmed or waitlisted (`paid` when it was awaiting its payment),
 * awaiting its payment, or released (it was awaiting its payment and the seat went back), else
 * null. A token the API no longer knows, or whose registration is over, is forgotten; one that
 * could not be checked (offline) is kept. Back from paying, a payment not yet recorded (the
 * provider's word can follow the browser by a moment) is asked again a few times.
 */
export async function standing(el: Host, session: string, token: string | null | undefined): Promise<Standing | null> {
  const back = returned();
  if (!token) return back === "paid" || back === "cancelled" ? { status: "returned", paid: back === "paid" } : null;
  const key = keyOf(el.base, session);
  const paying = keptCheckout(key);
  let answer = await el.http.call("/v1/manage/:token", "$get", { param: { token } });
  for (let tries = 0; back === "paid" && answer.ok && answer.value.status === "pending_payment" && tries < 4; tries++) {
    await new Promise((wait) => setTimeout(wait, 1000));
    answer = await el.http.call("/v1/manage/:token", "$get", { param: { token } });
  }
  if (!answer.ok) {
    if (answer.problem.status === 404) forget(key);
    return null;
  }
  const { status, waitlistPosition } = answer.value;
  const manageUrl = manageUrlOf(el.base, token);
  // Back from checkout: the heading of what happened takes the focus once shown (load() shows it
  // after this returns, hence the task's wait before the element's next render).
  if (back) setTimeout(() => void focus(el));
  if (status === "pending_payment") return { status, manageUrl, checkout: paying };
  // Paid, or the seat went back: where to pay is no longer needed.
  store(`${key}:checkout`);
  if (status === "confirmed" || status === "waitlisted") return { status, waitlistPosition, manageUrl, paid: !!paying };
  forget(key);
  return status === "cancelled" && paying ? { status: "released" } : null;
}

/** The registrant's own page, where they see or cancel the registration. */
const manageUrlOf = (base: string, token: string) => `${base}/m/${encodeURIComponent(token)}`;

/**
 * A registration just made (or confirmed with the emailed code): its token kept, and its standing
 * what the token will say on the next visit, so the done view shows the cancel link at once.
 */
export function registered(el: Host, r: { status: string; waitlistPosition: number | null }, token: string): void {
  store(keyOf(el.base, el.data!.id), token);
  el.standing =
    r.status === "confirmed" || r.status === "waitlisted"
      ? { status: r.status, waitlistPosition: r.waitlistPosition, manageUrl: manageUrlOf(el.base, token) }
      : null;
}

/** The link to the registrant's own page, to cancel the registration or leave the waitlist ("" for a standing without one). */
export const manageLink = (locale: Locale, s: Standing | null | undefined): TemplateResult | "" =>
  s && "manageUrl" in s
    ? html`<a part="manage" href=${s.manageUrl} target="_blank" rel="noopener">${words[locale][s.status === "waitlisted" ? "leave" : "cancel"]}</a>`
    : "";

function forget(key: string) {
  store(key);
  store(`${key}:checkout`);
}

/** A priced session's registration awaits its payment: keeps where to pay, says so, and leaves for checkout. */
export async function pay(el: Host, url: string, payment: NonNullable<Registered["payment"]>): Promise<void> {
  const paying: Checkout = { url, until: payment.holdUntil, amount: payment.amount, currency: payment.currency };
  store(`${keyOf(el.base, el.data!.id)}:checkout`, JSON.stringify(paying));
  el.standing = { status: "paying", checkout: paying };
  el.requestUpdate();
  await focus(el);
  checkout.go(url);
}

async function focus(el: Host) {
  await el.updateComplete;
  el.renderRoot.querySelector<HTMLElement>("h3")?.focus();
}

/**
 * What the registration's standing says: "You are attending!" (with "Payment received" back from
 * paying) or the waitlist's place, and the link to the registrant's own page, where they can
 * cancel; the seat held with the way back to checkout; leaving for checkout; the seat released.
 * A status region whose heading takes the focus on coming back from checkout. `price` is the
 * card's own way of writing a price (join.ts), in the visitor's language; `level`, its heading's
 * aria-level where the card's title is not an h2 (the element's heading-level).
 */
export function standingBody(
  locale: Locale,
  s: Standing,
  price: (p: Checkout, lang: string) => string,
  level: number | typeof nothing = nothing,
): TemplateResult {
  const w = words[locale];
  const owed = (c: Checkout | null) => (c ? html`<p>${w.due(price(c, locale))}</p>` : "");
  const title = (text: string) => html`<h3 tabindex="-1" aria-level=${level}>${text}</h3>`;
  const payButton = (c: Checkout) => html`<button part="button" @click=${() => checkout.go(c.url)}>${w.pay}</button>`;
  if (s.status === "released" || s.status === "returned")
    return html`<div part="state" class="state" role="status">
      ${title(s.status === "released" ? w.released : s.paid ? w.backPaid : w.backCancelled)}
    </div>`;
  // Still to pay: the card's own colours (the confirmation's is for what is done).
  if (s.status === "pending_payment")
    return html`<div part="state" role="status">
      ${title(w.held(s.checkout ? new Intl.DateTimeFormat(locale, { timeStyle: "short" }).format(new Date(s.checkout.until)) : "…"))}
      ${owed(s.checkout)}
      <div class="actions">
        ${s.checkout ? payButton(s.checkout) : ""}
        ${manageLink(locale, s)}
      </div>
    </div>`;
  return html`<div part="message" class="message" role="status">
    ${
      s.status === "paying"
        ? // The button, should the browser stay (a frame that may not leave, a refused new tab).
          html`${title(w.going)}${owed(s.checkout)}<div class="actions">${payButton(s.checkout)}</div>`
        : html`${title(s.status === "confirmed" ? w.attending : w.waitlisted(s.waitlistPosition))}
          ${s.paid ? html`<p>${w.paid}</p>` : ""}
          <p>${manageLink(locale, s)}</p>`
    }
  </div>`;
}
