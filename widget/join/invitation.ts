// The invitation link's side of <rollcall-join>: what the invitation offers, Accept and Decline
// (asked first), the one-time code of an invitation that requires the invited address, and
// re-opening a declined invitation. A chunk of its own, fetched with the invitation: a page that
// shows a session without one never downloads it.

import { html, nothing, type TemplateResult } from "lit";
import type { Locale } from "../../worker/i18n/locales";
import type { Client, InviteLink, Problem, PublicSession } from "../api/client";
import type { LocalizeController } from "../i18n/localize";
import type { RollcallEvents } from "../shared/element";
import { field } from "../shared/field";
import type { joinEn } from "./join.en";

type Invitation = InviteLink["invitation"];

/** The element's form fields, and what it shows (join.ts keeps both in its state). */
export type Fields = "name" | "email" | "code" | "otp" | "discount";
export type View = "loading" | "failed" | "session" | "form" | "done" | "declined" | "confirm";

/**
 * The element as this chunk works on it: its own state and helpers, private to every other
 * module (join.ts hands itself over once, in `answering`).
 */
export type Answering = HTMLElement & {
  view: View;
  data: PublicSession | undefined;
  link: Invitation | undefined;
  errors: Partial<Record<Fields, string>>;
  formError: string;
  busy: boolean;
  /** The code's answer once one was sent: by email or SMS, and where (masked). */
  codeSent: false | CodeSent;
  confirming: boolean;
  readonly t: LocalizeController<typeof joinEn>;
  readonly http: Client;
  readonly token: string | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  emit<K extends keyof RollcallEvents>(name: K, detail: RollcallEvents[K]): void;
  fail(problem: Problem): string;
  open(): Promise<void>;
  refused(problem: Problem): void;
  form(): TemplateResult | typeof nothing;
};

export const invitationEn = {
  invited: "You are invited",
  seatUntil: (date: string) => `Your seat is reserved until ${date}.`,
  validUntil: (date: string) => `This invitation is valid until ${date}.`,
  discount: (code: string) => `Discount code: ${code}`,
  discountPrice: (code: string, toPay: string, full: string) => `Discount code ${code}: you pay ${toPay} instead of ${full}.`,
  discountFree: (code: string) => `Discount code ${code}: the session is free for you.`,
  acceptWaitlist: "The session is full: accepting puts you on the waitlist.",
  decline: "Decline",
  declineAsk: "Decline the invitation?",
  declineSeat: "The seat reserved for you will go to someone else.",
  declineYes: "Yes, decline",
  declined: "You declined the invitation.",
  changedMind: "Changed your mind? You can still re-open the invitation from this page.",
  reopen: "Re-open the invitation",
  alreadyAccepted: "This invitation has already been accepted.",
  accept: "Accept",
  otpExplain: (masked: string) => `To accept, confirm that you read the mail sent to ${masked}: we send you a one-time code.`,
  sendCode: "Send me a code",
  codeEmailed: (masked: string) => `We emailed a code to ${masked}.`,
  codeTexted: (masked: string) => `We texted a code to ${masked}.`,
  otp: "One-time code",
  otpFormat: "Enter the six digits from the email.",
  otpFormatTexted: "Enter the six digits from the text message.",
  emailOptional: (masked: string) => `Leave empty to use the address the invitation was sent to (${masked}).`,
};

let words: Record<Locale, typeof invitationEn> = { en: invitationEn, fr: invitationEn };

/** Brings this chunk's words in the element's language (French is a chunk of its own). */
export async function loadWords(language: Locale): Promise<void> {
  if (language === "fr" && words.fr === invitationEn) {
    const fr = await import("./invitation.fr").then(
      (m) => m.invitationFr,
      () => invitationEn,
    );
    words = { ...words, fr };
  }
}

/**
 * The invitation, or why it can no longer be answered (and then nothing else: no "You are
 * invited"). `pending`: its status still awaits an answer (join.ts asks isPending, so that this
 * chunk does not share the vocabulary's module with it).
 */
export function invitationBody(
  el: Answering,
  s: PublicSession,
  link: Invitation,
  pending: boolean,
  price: (p: { amount: number; currency: string }, lang: string) => string,
): TemplateResult {
  const t = el.t;
  const w = words[t.language];
  if (!pending || s.status === "cancelled")
    return html`<p part="state" class="state">${
      s.status === "cancelled"
        ? t.term("cancelled")
        : link.status === "accepted"
          ? w.alreadyAccepted
          : link.status === "expired" || link.status === "cancelled"
            ? t.problem({ code: `invitation_${link.status}` })
            : t.term("error")
    }</p>`;
  // In the session's own zone, named: the seat is held until then wherever the reader is.
  const until =
    link.expiresAt && `${t.date(link.expiresAt, { dateStyle: "long", timeStyle: "short", timeZone: s.timeZone })} (${s.timeZone})`;
  const full = fullWithoutSeat(s, link);
  return html`<div part="invitation" class="invitation">
      <p><strong>${w.invited}</strong></p>
      ${link.message ? html`<p>${link.message}</p>` : nothing}
      ${until ? html`<p>${link.holdSeat ? w.seatUntil(until) : w.validUntil(until)}</p>` : nothing}
      ${link.discountCode ? html`<p>${discountLine(w, link, s, (p) => price(p, t.lang))}</p>` : nothing}
    </div>
    ${full ? html`<p part="state" class="state">${s.waitlist ? w.acceptWaitlist : t.term("full")}</p>` : nothing}
    ${
      el.view === "form"
        ? el.form()
        : html`${link.requireEmailMatch && el.codeSent ? otp(el, codeSentNote(el, el.codeSent)) : nothing}
          ${
            el.confirming
              ? html`<p><strong>${w.declineAsk}</strong>${link.holdSeat ? ` ${w.declineSeat}` : ""}</p>
                <div class="actions">
                  <button part="button" ?disabled=${el.busy} @click=${() => decline(el)}>${w.declineYes}</button>
                  <button part="button" class="secondary" @click=${() => ask(el, false)}>${t.term("back")}</button>
                </div>`
              : html`<div class="actions">
                ${full && !s.waitlist ? nothing : html`<button part="button" @click=${() => el.open()}>${acceptLabel(el, s, link)}</button>`}
                <button part="button" class="secondary" @click=${() => ask(el, true)}>${w.decline}</button>
              </div>`
          }
          <p class="error" role="alert">${el.formError}</p>`
    }`;
}

/**
 * The invitation's discount code, with what accepting costs with it (seed 000: "including any
 * discount") when the session is priced and the code takes something off today.
 */
function discountLine(
  w: typeof invitationEn,
  link: Invitation,
  s: PublicSession,
  price: (p: { amount: number; currency: string }) => string,
): string {
  const code = link.discountCode!;
  if (!s.price || !link.toPay || link.toPay.amount >= s.price.amount) return w.discount(code);
  return link.toPay.amount === 0 ? w.discountFree(code) : w.discountPrice(code, price(link.toPay), price(s.price));
}

/** A declined invitation: said so, and the way back while it may be re-opened. */
export function declinedBody(el: Answering): TemplateResult {
  const w = words[el.t.language];
  return html`<p part="message" class="message" role="status">${w.declined}</p>
    ${
      el.link?.reopenable
        ? html`<p>${w.changedMind}</p>
          <div class="actions"><button part="button" ?disabled=${el.busy} @click=${() => reopen(el)}>${w.reopen}</button></div>`
        : nothing
    }
    <p class="error" part="error" role="alert">${el.formError}</p>`;
}

/** An invitation that holds no seat asks for one like anyone does: on a full session, that is the waitlist. */
const fullWithoutSeat = (s: PublicSession, link: Invitation) => !link.holdSeat && s.seats.available < 1;

/** This chunk's words in the element's language. */
export const wordsOf = (el: Answering) => words[el.t.language];

/**
 * The form's button: "Send me a code" while an invitation that requires the invited address has
 * sent none; Accept otherwise, or, when accepting means the waitlist, says so.
 */
export const acceptLabel = (el: Answering, s: PublicSession, link: Invitation) =>
  link.requireEmailMatch && !el.codeSent ? wordsOf(el).sendCode : fullWithoutSeat(s, link) ? el.t.term("joinWaitlist") : wordsOf(el).accept;

/** The form's note on the one-time code, for an invitation that requires the invited address. */
export const codeNote = (el: Answering, link: Invitation): TemplateResult =>
  html`<p class="muted">${el.codeSent ? codeSentNote(el, el.codeSent) : wordsOf(el).otpExplain(link.emailMasked)}</p>`;

/** The one-time code's field (accepting or declining an invitation that requires the invited address). */
export function otp(el: Answering, hint?: string): TemplateResult {
  return field(
    "otp",
    wordsOf(el).otp,
    el.errors.otp,
    (a) =>
      html`<input id="otp" name="otp" part="input" inputmode="numeric" autocomplete="one-time-code" maxlength="6" aria-invalid=${a.invalid} aria-required=${a.required} aria-describedby=${a.describedby} />`,
    hint,
    true,
  );
}

export type CodeSent = { channel: "email" | "sms"; sentTo: string };

/** "Enter the six digits from …": the email or the text message, whichever carried the code. */
export const otpFormat = (el: Answering, sent: CodeSent): string => wordsOf(el)[sent.channel === "sms" ? "otpFormatTexted" : "otpFormat"];

/** "We texted a code to +33 •• •• •• 12." or "We emailed a code to j•••@example.org." */
export const codeSentNote = (el: Answering, sent: CodeSent) =>
  wordsOf(el)[sent.channel === "sms" ? "codeTexted" : "codeEmailed"](sent.sentTo);

/** Sends the one-time code (by email or SMS, as the invited person's contact chose), then shows its field, focused. */
export async function sendCode(el: Answering, token: string): Promise<void> {
  const sent = await el.http.call("/v1/invites/:token/code", "$post", { param: { token } });
  if (!sent.ok) return el.refused(sent.problem);
  el.codeSent = { channel: sent.value.channel, sentTo: sent.value.sentTo };
  await el.updateComplete;
  el.renderRoot.querySelector<HTMLInputElement>("#otp")?.focus();
}

function ask(el: Answering, confirming: boolean) {
  el.confirming = confirming;
  el.formError = "";
}

/** Declines, once asked; an invitation that requires the invited address first asks for the emailed code. */
async function decline(el: Answering): Promise<void> {
  const token = el.token;
  if (!token || el.busy) return;
  const verify = el.link?.requireEmailMatch;
  const code = el.renderRoot.querySelector<HTMLInputElement>("#otp")?.value.trim() ?? "";
  el.formError = "";
  el.errors = verify && el.codeSent && !/^\d{6}$/.test(code) ? { otp: otpFormat(el, el.codeSent) } : {};
  if (el.errors.otp) return el.renderRoot.querySelector<HTMLInputElement>("#otp")!.focus();
  el.busy = true;
  try {
    if (verify && !el.codeSent) return await sendCode(el, token);
    const result = await el.http.call("/v1/invites/:token/decline", "$post", { param: { token }, json: { code: code || undefined } });
    if (!result.ok) return el.refused(result.problem);
    // Read the link again: whether it may be re-opened depends on the seats left.
    const again = await el.http.call("/v1/invites/:token", "$get", { param: { token } });
    if (again.ok) el.link = again.value.invitation;
    el.confirming = false;
    el.view = "declined";
    el.emit("declined", {});
  } finally {
    el.busy = false;
  }
}

/** Re-opens a declined invitation (the person changed their mind): the invitation shows again. */
async function reopen(el: Answering): Promise<void> {
  const token = el.token;
  if (!token || el.busy) return;
  el.busy = true;
  const result = await el.http.call("/v1/invites/:token/reopen", "$post", { param: { token } });
  el.busy = false;
  if (!result.ok) {
    el.formError = el.fail(result.problem);
    return;
  }
  el.data = result.value.session;
  el.link = result.value.invitation;
  el.codeSent = false;
  el.formError = "";
  el.view = "session";
}
