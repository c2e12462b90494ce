// <rollcall-join>'s sign-up form: its fields, its checks and its submission. A chunk of its own,
// loaded when the form first opens (with the fields' chunk): a visitor who only reads the session
// never downloads it.

import { html, type LitElement, nothing, type TemplateResult } from "lit";
import type { Registered, Registration } from "../api/client";
import { addressMessages, addressProblem, field, newKey } from "./form-fields";
import type { Host } from "./returning";

export { loadQuestions } from "./form-fields";

import type { Answering, Fields, View } from "./invitation";

/**
 * The element as the form works on it: the invitation's view of it, and what only the form touches
 * (join.ts hands itself over, in `answering`).
 */
export type Filling = Answering &
  LitElement & {
    /** Kept across retries of one submission, so a retried POST cannot register twice. */
    key?: string | undefined;
    readonly base: string;
    emailConfirmation: import("./confirm").Confirmation | undefined;
    offer: string | undefined;
    registration: Registration | undefined;
    standing: import("./returning").Standing | null | undefined;
    show(view: View, focus: string): Promise<void>;
  };

/** The module pieces join.ts loads on demand, handed in so the form uses what is already here. */
export type Parts = {
  invitation: typeof import("./invitation") | undefined;
  questions: typeof import("./questions") | undefined;
  manageLink: typeof import("./manage-link") | undefined;
  kept: (key: string, token?: string) => string | null | undefined;
  /** Loaded with the form of a priced session: the way to checkout and back. */
  returning: typeof import("./returning") | undefined;
  /** The same, loaded now if it is not here yet: the cancel link once registered. */
  loadReturning: () => Promise<typeof import("./returning")>;
};

/**
 * The form: name, address (or the invitation's one-time code), a registration code, a discount
 * code (priced sessions only; an invitation brings its own), the session's questions.
 */
export function form(el: Filling, parts: Parts): TemplateResult | typeof nothing {
  const s = el.data;
  if (!s) return nothing;
  const { invitation, questions, manageLink } = parts;
  const link = el.link;
  const verify = !!link?.requireEmailMatch;
  const t = el.t;
  const e = el.errors;
  const submit = link ? invitation!.acceptLabel(el, s, link) : t.term(s.registrationState === "open" ? "register" : "joinWaitlist");
  return html`<form part="form" novalidate @submit=${(event: SubmitEvent) => send(el, parts, event)} @input=${() => (el.key = undefined)}>
      ${verify ? invitation!.codeNote(el, link) : nothing}
      <p class="muted">${t.term("requiredNote")}</p>
      ${field(
        "name",
        t.term("name"),
        e.name,
        (a) =>
          html`<input id="name" name="name" part="input" autocomplete="name" .value=${link?.name ?? ""} aria-invalid=${a.invalid} aria-required=${a.required} aria-describedby=${a.describedby} />`,
        undefined,
        true,
      )}
      ${
        verify
          ? nothing
          : field(
              "email",
              t.term("email"),
              e.email,
              (a) =>
                html`<input id="email" name="email" type="email" part="input" autocomplete="email" aria-invalid=${a.invalid} aria-required=${a.required} aria-describedby=${a.describedby} />`,
              // Optional with an invitation, which knows the address already.
              link ? invitation!.wordsOf(el).emailOptional(link.emailMasked) : undefined,
              !link,
            )
      }
      ${
        !link && s.registrationCodeRequired
          ? field(
              "code",
              t.term("code"),
              e.code,
              (a) =>
                html`<input id="code" name="code" part="input" autocomplete="off" aria-invalid=${a.invalid} aria-required=${a.required} aria-describedby=${a.describedby} />`,
              undefined,
              true,
            )
          : nothing
      }
      ${
        // A priced session takes a typed discount code.
        !link && s.price
          ? field(
              "discount",
              t.term("discountCode"),
              e.discount,
              (a) =>
                html`<input id="discount" name="discountCode" part="input" autocomplete="off" maxlength="64" aria-invalid=${a.invalid} aria-describedby=${a.describedby} />`,
            )
          : nothing
      }
      ${questions?.render(el)}
      ${verify && el.codeSent ? invitation!.otp(el) : nothing}
      <p class="error" part="error" role="alert">${el.formError}</p>
      ${el.offer === undefined || !manageLink ? nothing : manageLink.manageLinkOffer(t.language, el.offer, el.busy, () => sendLink(el))}
      <div class="actions">
        <button part="button" type="submit" ?disabled=${el.busy}>${submit}</button>
        <button part="button" type="button" class="secondary" @click=${() => close(el)}>${t.term("back")}</button>
      </div>
    </form>`;
}

/** Checks the form, then registers (or accepts the invitation, or sends its one-time code first). */
async function send(el: Filling, parts: Parts, event: SubmitEvent): Promise<void> {
  const { invitation, questions, kept, returning } = parts;
  event.preventDefault();
  if (el.busy) return;
  const form = event.currentTarget as HTMLFormElement;
  const value = (name: string) => String(new FormData(form).get(name) ?? "").trim();
  const link = el.link;
  const verify = !!link?.requireEmailMatch;
  const errors: Partial<Record<Fields, string>> = {};
  const [name, email, code, otp, discountCode] = [value("name"), value("email"), value("code"), value("otp"), value("discountCode")];
  if (!name) errors.name = el.t.term("required");
  const emailProblem = verify || (link && !email) ? null : addressProblem(email);
  if (emailProblem) errors.email = addressMessages[el.t.language][emailProblem];
  if (!link && el.data?.registrationCodeRequired && !code) errors.code = el.t.term("required");
  if (verify && el.codeSent && !/^\d{6}$/.test(otp)) errors.otp = invitation!.otpFormat(el, el.codeSent);
  const answers = questions?.answers(el, form, errors);
  el.errors = errors;
  el.formError = "";
  if (Object.keys(errors).length) return await el.show(el.view, '[aria-invalid="true"]');
  el.busy = true;
  try {
    const locale = el.t.language;
    const token = el.token;
    if (token && verify && !el.codeSent) return await invitation!.sendCode(el, token);
    el.key ??= newKey();
    // Where checkout sends a priced session's registrant back to: this page.
    const returnUrl = el.data?.price ? returning?.returnUrl() : undefined;
    const result =
      link && token
        ? await el.http.call("/v1/invites/:token/accept", "$post", {
            param: { token },
            json: {
              name,
              ...(email && !verify ? { email } : {}),
              ...(verify ? { code: otp } : {}),
              ...(returnUrl ? { returnUrl } : {}),
              locale,
              ...answers,
            },
          })
        : await el.http.call("/v1/public/sessions/:id/registrations", "$post", {
            param: { id: el.data!.id },
            header: { "idempotency-key": el.key },
            json: {
              name,
              email,
              ...(code ? { code } : {}),
              ...(discountCode ? { discountCode } : {}),
              ...(returnUrl ? { returnUrl } : {}),
              locale,
              ...answers,
            },
          });
    if (!result.ok) {
      // A network failure or a server error may be retried with the same key; anything else was an answer.
      if (result.problem.status > 0 && result.problem.status < 500) el.key = undefined;
      el.refused(result.problem);
      // A refused discount code is said next to its field.
      if (result.problem.code.startsWith("discount_")) [el.errors, el.formError] = [{ discount: el.formError }, ""];
      return;
    }
    el.key = undefined;
    const answer = result.value as Registered;
    const { registration, payment, checkoutUrl } = answer;
    // Remembered on this browser: only the opaque token the answer gave, for the next visit.
    kept(`rollcall:${el.base}:${el.data!.id}`, answer.manageToken);
    // A priced session's seat is held while the registrant pays: off to checkout.
    if (payment && checkoutUrl && returning) return await returning.pay(el as unknown as Host, checkoutUrl, payment);
    // Awaiting its email confirmation (only a public registration can be).
    const until = answer.confirmation?.expiresAt;
    if (!until) return await finish(el, parts, answer);
    const { Confirmation } = await import("./confirm");
    el.emailConfirmation = new Confirmation(
      el,
      el.http,
      el.data!.id,
      registration,
      until,
      (confirmed) => finish(el, parts, confirmed),
      () => el.open(),
    );
    await el.show("confirm", ".message");
  } finally {
    el.busy = false;
  }
}

/**
 * Registered: says so, with the link to cancel that a returning registrant sees (returning.ts,
 * which also keeps the token of a registration confirmed with the emailed code: its first answer
 * carried none), and fires rollcall-registered. Without that chunk (offline), the registration is
 * still said; the link is in the email.
 */
async function finish(
  el: Filling,
  parts: Parts,
  { registration, manageToken }: Pick<Registered, "registration" | "manageToken">,
): Promise<void> {
  el.registration = registration;
  el.standing = null;
  if (manageToken) (await parts.loadReturning().catch(() => undefined))?.registered(el as unknown as Host, registration, manageToken);
  el.emit("registered", { registration });
  await el.show("done", ".message");
}

/** Back to the session's card: the form's errors and its submission's key go. */
function close(el: Filling): void {
  el.view = "session";
  el.errors = {};
  el.formError = "";
  el.key = undefined;
  el.offer = undefined;
}

/** Emails the address told "already registered" the link to manage its registration. */
async function sendLink(el: Filling): Promise<void> {
  const email = el.offer;
  if (!email || el.busy) return;
  el.busy = true;
  const sent = await el.http.call("/v1/public/sessions/:id/manage-link", "$post", { param: { id: el.data!.id }, json: { email } });
  el.busy = false;
  if (!sent.ok) return el.refused(sent.problem);
  el.errors = {};
  el.offer = "";
}
