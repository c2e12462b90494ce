// What <rollcall-join> shows while a registration awaits its email confirmation (sessions that
// confirm by email): "check your email", a field for the emailed code, and what happens when the
// hold lapses. A chunk of its own, with its words in both languages, fetched only when a
// registration comes back pending: the join page of a session that does not confirm by email
// pays nothing for it.

import { html, type ReactiveController, type ReactiveElement } from "lit";
import type { Client, Registered, Registration } from "../api/client";
import { en } from "../i18n/en";
import { fr } from "../i18n/fr";
import { LocalizeController } from "../i18n/localize";
import { RollcallElement } from "../shared/element";
import { field } from "./form-fields";

const confirmEn = {
  ...en,
  title: "Check your email",
  sent: (email: string, until: string) => `We sent a link and a code to ${email}. Your place is held until ${until}.`,
  code: "Code from the email",
  format: "Enter the six digits from the email.",
  confirm: "Confirm",
  tooMany: "Too many wrong codes: use the link in the email instead.",
  lapsed: "Your place was not confirmed in time, so it went back to others.",
  again: "Register again",
};

const confirmFr: typeof confirmEn = {
  ...fr,
  title: "Consultez vos e-mails",
  sent: (email, until) => `Nous avons envoyé un lien et un code à ${email}. Votre place est réservée jusqu’à ${until}.`,
  code: "Code reçu par e-mail",
  format: "Saisissez les six chiffres reçus par e-mail.",
  confirm: "Confirmer",
  tooMany: "Trop de codes erronés : utilisez plutôt le lien de l’e-mail.",
  lapsed: "Votre place n’a pas été confirmée à temps : elle est revenue aux autres.",
  again: "S’inscrire à nouveau",
};

/**
 * A registration awaiting confirmation, on its element: the code's error, whether it is sending,
 * whether the hold lapsed. `done` takes the API's answer (the confirmed registration and its
 * manage token); `again` opens the form anew.
 */
export class Confirmation implements ReactiveController {
  private readonly t: LocalizeController<typeof confirmEn>;
  private error = "";
  private busy = false;
  private lapsed = false;
  private timer: number | undefined;

  constructor(
    private readonly host: ReactiveElement,
    private readonly http: Client,
    private readonly sessionId: string,
    private readonly registration: Registration,
    private readonly expiresAt: string,
    private readonly done: (answer: Registered) => void,
    private readonly again: () => void,
  ) {
    this.t = new LocalizeController(host, { en: confirmEn, fr: confirmFr });
    host.addController(this);
    this.hostConnected();
  }

  /** A timer for the hold's end (the elements' timers, so tests move the clock). */
  hostConnected() {
    if (this.timer !== undefined || this.lapsed) return;
    const left = Date.parse(this.expiresAt) - Date.now();
    this.timer = RollcallElement.timers.setTimeout(
      () => {
        this.lapsed = true;
        this.host.requestUpdate();
      },
      Math.max(0, left),
    );
  }

  hostDisconnected() {
    RollcallElement.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Done with: confirmed, or the visitor starts again. */
  private stop() {
    this.hostDisconnected();
    this.lapsed = true;
    this.host.removeController(this);
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const input = this.host.shadowRoot!.querySelector<HTMLInputElement>("#otp")!;
    const code = input.value.trim();
    this.error = /^\d{6}$/.test(code) ? "" : this.t.term("format");
    if (!this.error) {
      this.busy = true;
      this.host.requestUpdate();
      const result = await this.http.call("/v1/public/sessions/:id/registrations/:registrationId/confirm", "$post", {
        param: { id: this.sessionId, registrationId: this.registration.id },
        json: { code },
      });
      this.busy = false;
      if (result.ok) {
        this.stop();
        return this.done(result.value);
      }
      const { code: problem, detail } = result.problem;
      this.host.dispatchEvent(new CustomEvent("rollcall-error", { bubbles: true, composed: true, detail: { code: problem, detail } }));
      this.lapsed = problem === "confirmation_expired";
      this.error = problem === "verification_code_expired" ? this.t.term("tooMany") : this.t.problem(result.problem);
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    (this.host.shadowRoot!.querySelector<HTMLElement>("#otp") ?? this.host.shadowRoot!.querySelector<HTMLElement>("[part=state]"))?.focus();
  }

  render() {
    const t = this.t;
    if (this.lapsed) {
      return html`<p part="state" class="state" role="status" tabindex="-1">${t.term("lapsed")}</p>
        <div class="actions">
          <button
            part="button"
            @click=${() => {
              this.stop();
              this.again();
            }}
          >
            ${t.term("again")}
          </button>
        </div>`;
    }
    return html`<div part="message" class="message" role="status" tabindex="-1">
        <p><strong>${t.term("title")}</strong></p>
        <p class="muted">${t.term("sent", this.registration.email, t.date(this.expiresAt, { timeStyle: "short" }))}</p>
      </div>
      <form part="form" novalidate @submit=${(e: SubmitEvent) => this.submit(e)}>
        ${field(
          "otp",
          t.term("code"),
          this.error || undefined,
          (a) =>
            // The property, not the attribute: lit-analyzer's HTML data predates "one-time-code".
            html`<input id="otp" name="otp" part="input" inputmode="numeric" .autocomplete=${"one-time-code"} maxlength="6" aria-invalid=${a.invalid} aria-describedby=${a.describedby} />`,
        )}
        <div class="actions"><button part="button" type="submit" ?disabled=${this.busy}>${t.term("confirm")}</button></div>
      </form>`;
  }
}
