// <rollcall-join>: the participant's element, on any site: a session's card, its sign-up form, and
// the invitation link's Accept / Decline (whose own code, invitation.ts, loads with the invitation).

import { html, nothing, type PropertyValues } from "lit";
import { isPending } from "../../worker/invitations/statuses";
import { hourOf, sessionDateTime } from "../../worker/time/date-words";
import { client, type InviteLink, type Problem, type ProblemCode, type PublicSession, type Registration } from "../api/client";
import { LocalizeController, loadProblemMessages, type Words } from "../i18n/localize";
import { headingAt, RollcallElement } from "../shared/element";
import { theme } from "../shared/theme";
import type { Filling } from "./form";
import type { Answering, CodeSent, Fields, View } from "./invitation";
import { joinEn } from "./join.en";
import { styles } from "./join.styles";
import type { Host } from "./returning";

// French is a chunk of its own: the public page stays small in English.
const words: Words<typeof joinEn> = { en: joinEn, fr: () => import("./join.fr").then((m) => m.joinFr) };

/** The form (form.ts), loaded when it first opens (its fields' and address rule's chunk fetched beside it). */
let filling: typeof import("./form") | undefined;

/** The session's registration form (questions.ts), loaded when a session with one opens its form. */
let questions: typeof import("./questions") | undefined;

/** The offer to email a registrant their manage link, loaded by the first "already registered". */
let manageLink: typeof import("./manage-link") | undefined;

/**
 * The returning registrant's check and state (returning.ts), loaded only where a manage token was
 * kept, for a priced session's form, and once registered (the cancel link).
 */
let returning: typeof import("./returning") | undefined;
const loadReturning = async () => (returning ??= await import("./returning"));

/** The manage token this browser keeps for a session (per API and session; nothing personal), `token` kept first if given. */
const kept = (key: string, token?: string) => {
  try {
    if (token) localStorage.setItem(key, token);
    return localStorage.getItem(key);
  } catch {}
};

/** The invitation's side of the element (invitation.ts), loaded with the first invitation shown. */
let invitation: typeof import("./invitation") | undefined;
const loadInvitation = async (language: "en" | "fr") => {
  invitation ??= await import("./invitation");
  await invitation.loadWords(language);
};

/**
 * A session's public card: when it is, how many seats are left, and a "Join" button that opens a
 * short form; someone told they are registered already can have their manage link emailed. With
 * an invitation token it shows the invitation instead, with Accept / Decline (asked first); a
 * declined invitation can be re-opened from the same link while a seat or the waitlist is left.
 * A priced session's registrant is sent to checkout (in the top window) and, back on the page,
 * told whether the payment was received, the seat is still held (with the way back to pay), or
 * it was released.
 *
 * @summary Join a session, or answer an invitation to it.
 * @tag rollcall-join
 *
 * @attr session - The session id (`ses_…`). Not needed with an invitation token.
 * @attr invite - An invitation token. Defaults to `?rollcall_invite=` in the page URL when that token names this element's session (or the element names none); the element then takes it out of the address bar.
 * @attr api - Base URL of the Rollcall API. Defaults to the origin the script was loaded from.
 * @attr locale - `en` or `fr`. Defaults to the page's `lang`.
 * @attr heading-level - The level of the session's title in the page's outline, 1 to 6 (1 where the card is the page's subject). Defaults to 2.
 *
 * @slot - Extra content shown under the session's description.
 * @slot done - Content shown once the visitor is registered (e.g. what to bring).
 * @slot fallback - Never shown by the element: content for a browser that cannot load its script,
 *   which shows an undefined element's children, e.g. `<a slot="fallback" href="https://…/s/ses_…">Register</a>`.
 *
 * @fires {CustomEvent<RollcallEvents["registered"]>} rollcall-registered - Registered or invitation accepted (where the session confirms registrations by email, once the emailed code is entered; not for a priced session's registration, which leaves the page for checkout). `detail: {registration}`.
 * @fires {CustomEvent<RollcallEvents["declined"]>} rollcall-declined - The invitation was declined. `detail: {}`.
 * @fires {CustomEvent<RollcallEvents["error"]>} rollcall-error - The API refused a request. `detail: {code, detail}` (the API's problem code).
 *
 * @csspart base - The card.
 * @csspart title - The session's title.
 * @csspart when - Date and time, in the visitor's time zone.
 * @csspart zone - The line naming the session's time zone.
 * @csspart description - The session's description.
 * @csspart location - Where the session takes place.
 * @csspart price - What a seat costs, in the visitor's language (absent for a free session).
 * @csspart manage - The link to the registrant's own page (to cancel), right after registering and on a later visit.
 * @csspart invitation - What the invitation offers (reserved seat, discount).
 * @csspart seats - Seats left.
 * @csspart state - Registration state (not yet open, full, closed, cancelled), and how many more the session needs to run; a seat held until paid, or released unpaid.
 * @csspart button - Every button.
 * @csspart form - The registration form.
 * @csspart label - Field labels.
 * @csspart input - Text fields.
 * @csspart error - Error messages.
 * @csspart offline - The line saying the API cannot be reached (it goes once it can).
 * @csspart message - The confirmation once registered or declined, or paid; "Taking you to payment…".
 *
 * @cssprop [--rollcall-accent=#1d4ed8] - Buttons, focus ring, seats.
 * @cssprop [--rollcall-on-accent=#ffffff] - Text on accent-coloured buttons.
 * @cssprop [--rollcall-surface=#ffffff] - Card background.
 * @cssprop [--rollcall-text=#1c1f26] - Text colour.
 * @cssprop [--rollcall-muted=#4b5563] - Secondary text.
 * @cssprop [--rollcall-border=#c4c9d2] - Borders of the card and fields.
 * @cssprop [--rollcall-danger=#b42318] - Errors.
 * @cssprop [--rollcall-success=#0f6b3a] - Confirmation.
 * @cssprop [--rollcall-radius=8px] - Corner radius.
 * @cssprop [--rollcall-font=system-ui, sans-serif] - Font family.
 * @cssprop [--rollcall-font-size=16px] - Base font size.
 */
export class RollcallJoin extends RollcallElement {
  static override styles = [theme, styles];
  static override properties = {
    session: { reflect: true },
    invite: { reflect: true },
    headingLevel: { type: Number, attribute: "heading-level" },
    view: { state: true },
    data: { state: true },
    link: { state: true },
    errors: { state: true },
    formError: { state: true },
    busy: { state: true },
    codeSent: { state: true },
    registration: { state: true },
    confirming: { state: true },
    offer: { state: true },
  };

  declare session: string | undefined;
  declare invite: string | undefined;
  declare headingLevel: number | undefined;
  declare private view: View;
  declare private data: PublicSession | undefined;
  declare private link: InviteLink["invitation"] | undefined;
  declare private errors: Partial<Record<Fields, string>>;
  declare private formError: string;
  declare private busy: boolean;
  declare private codeSent: false | CodeSent;
  declare private registration: Registration | undefined;
  /** A registration awaiting its email confirmation (its own chunk, confirm.ts). */
  private emailConfirmation: import("./confirm").Confirmation | undefined;
  /** Asking "decline the invitation?" before declining. */
  declare private confirming: boolean;
  /** The address told "already registered", to which its manage link may be emailed; "" once sent. */
  declare private offer: string | undefined;
  /** Whether the failure on screen may pass on another try (a configuration mistake will not); set by failed(). */
  declare private retry: boolean;
  protected readonly t = new LocalizeController(this, words);
  /** A registrant's standing (returning.ts): from the manage token this browser kept, or from the registration just made. */
  private standing: import("./returning").Standing | null | undefined;
  /** The page address's invitation token for this element, kept once it left the address bar. */
  private pageToken: string | null | undefined;

  constructor() {
    super();
    this.view = "loading";
    this.errors = {};
    this.formError = "";
    this.busy = false;
    this.codeSent = false;
    this.confirming = false;
  }

  private get token(): string | null | undefined {
    return this.invite || this.pageToken;
  }

  private get http() {
    return client(this.base);
  }

  /**
   * Seats and state follow the session's live channel once it is shown; while it cannot be loaded
   * for an outage, the channel's reconnection says when the API is back.
   */
  protected override get liveId() {
    return this.data?.id ?? (this.offline ? this.session : undefined);
  }

  /** The session's state; the first one after an outage that kept it from loading loads it now. */
  protected override onLive(session: PublicSession) {
    this.data = session;
    if (this.view === "failed") void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!this.hasUpdated || changed.has("session") || changed.has("invite") || changed.has("api")) void this.load();
  }

  private async load() {
    this.view = "loading";
    // An invitation in the page's address (an org's link template): its code loads only then.
    if (this.pageToken === undefined && location.search.includes("rollcall_invite="))
      this.pageToken = (await import("../shared/page-invite")).pageInvite(this.session);
    const token = this.token;
    if (token) {
      const [result] = await Promise.all([
        this.http.call("/v1/invites/:token", "$get", { param: { token } }),
        loadInvitation(this.t.language).catch(() => undefined),
      ]);
      if (!result.ok) return this.failed(result.problem);
      if (!invitation) return this.failed({ code: "network", detail: "the invitation's code could not be loaded", status: 0 });
      this.data = result.value.session;
      this.link = result.value.invitation;
    } else {
      if (!this.session) return this.failed({ code: "session_not_found", detail: "no session", status: 0 });
      const result = await this.http.call("/v1/public/sessions/:id", "$get", { param: { id: this.session } });
      if (!result.ok) return this.failed(result.problem);
      this.data = result.value;
      this.link = undefined;
      const token = kept(`rollcall:${this.base}:${this.session}`);
      // Also back from checkout without a kept token: the address's parameter goes all the same.
      if (token || location.search.includes("rollcall_checkout=")) {
        this.standing = await (await loadReturning()).standing(this as unknown as Host, this.session, token);
      }
    }
    this.offline = false;
    // An invitation that can no longer be answered says why, in a problem's words.
    if (this.link && !isPending(this.link.status)) await loadProblemMessages();
    this.view = this.link?.status === "declined" ? "declined" : "session";
  }

  /**
   * The session cannot be shown. An outage is the offline state, which goes by itself; anything
   * else is said, with "Try again" only when trying again can help.
   */
  private async failed(problem: Problem) {
    await loadProblemMessages();
    const message = this.fail(problem);
    this.offline = problem.code === "network";
    this.formError = this.offline ? "" : message;
    // A server's failure (5xx) or its rate limit (429, the only code above 428 below 500) may pass;
    // the page's own mistakes (origin, CSP, token, session id) will not, and an outage ends by itself.
    this.retry = problem.status > 428;
    this.view = "failed";
  }

  override render() {
    const s = this.data;
    return html`<div class="root card" part="base">
      ${this.offlineNotice()}
      ${
        this.view === "loading"
          ? html`<p role="status">${this.t.term("loading")}</p>`
          : this.view === "failed"
            ? html`<p role="alert" part="error" class="error">${this.formError}</p>
              ${this.retry ? html`<button part="button" class="secondary" @click=${this.load}>${this.t.term("retry")}</button>` : nothing}
`
            : s
              ? html`${this.header(s)} ${this.body(s)}`
              : nothing
      }
    </div>`;
  }

  private header(s: PublicSession) {
    const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const when = this.t.span(s.startsAt, s.endsAt, { ...sessionDateTime(this.t.lang), timeZoneName: "short" });
    const there = this.t.date(s.startsAt, { hour: hourOf(this.t.lang), minute: "2-digit", timeZone: s.timeZone });
    return html`<h2 part="title" aria-level=${headingAt(this.headingLevel)}>${s.title}</h2>
      <p part="when"><time datetime=${s.startsAt}>${when}</time></p>
      <p part="zone" class="muted">
        ${viewerZone === s.timeZone ? this.t.term("zoneNamed", s.timeZone) : `${this.t.term("yourTime")} ${this.t.term("localTime", there, s.timeZone)}`}
      </p>
      ${s.location ? html`<p part="location">${s.location}</p>` : nothing}
      ${s.price ? html`<p part="price">${price(s.price, this.t.lang)}</p>` : nothing}
      ${s.description ? html`<p part="description">${s.description}</p>` : nothing}
      <slot></slot>`;
  }

  private body(s: PublicSession) {
    if (this.view === "done") return this.done();
    if (this.view === "confirm") return this.emailConfirmation?.render();
    // The invitation's chunk is here whenever there is an invitation (load() waits for it).
    if (this.view === "declined") return invitation!.declinedBody(this.answering);
    // An invitation accepted in a priced session is on its way to checkout, as a registration is.
    if (this.link && this.standing?.status === "paying")
      return returning?.standingBody(this.t.language, this.standing, price, headingAt(this.headingLevel, 1));
    if (this.link) return invitation!.invitationBody(this.answering, s, this.link, isPending(this.link.status), price);
    // The seat released after an unpaid checkout, or a return this browser kept no token for, says so above the card's Join.
    const note = this.standing && returning?.standingBody(this.t.language, this.standing, price, headingAt(this.headingLevel, 1));
    if (note && this.standing!.status !== "released" && this.standing!.status !== "returned") return note;
    const state = s.status === "cancelled" ? "cancelled" : s.registrationState;
    const message =
      state === "not_yet_open"
        ? this.t.term("notYetOpen", this.t.date(s.registrationOpensAt ?? s.startsAt, { dateStyle: "long", timeStyle: "short" }))
        : state === "full"
          ? this.t.term(s.waitlist ? "waitlistOpen" : "full")
          : state === "open"
            ? ""
            : this.t.term(state);
    const canJoin = state === "open" || (state === "full" && s.waitlist);
    return html`${note}${
      state === "open"
        ? html`<p part="seats" class="seats">${this.t.term("seatsLeft", s.seats.available)}</p>`
        : html`<p part="state" class="state">${message}</p>`
    }${s.moreNeeded ? html`<p part="state" class="state">${this.t.term("moreNeeded", s.moreNeeded)}</p>` : nothing}
      ${
        this.view === "form"
          ? this.form()
          : canJoin
            ? html`<div class="actions">
              <button part="button" @click=${this.open}>${this.t.term(state === "open" ? "join" : "joinWaitlist")}</button>
            </div>`
            : nothing
      }`;
  }

  /** The form, once its chunk is here (open() loads it). */
  private form() {
    return filling
      ? filling.form(this.answering as Filling, { invitation, questions, manageLink, kept, returning, loadReturning })
      : nothing;
  }

  private done() {
    const r = this.registration;
    const message = r?.status === "waitlisted" ? this.t.term("waitlisted", r.waitlistPosition) : this.t.term("attending");
    return html`<div part="message" class="message" role="status" tabindex="-1">
        <p><strong>${message}</strong></p>
        <p class="muted">${this.t.term("checkEmail")}</p>
        ${this.data?.online ? html`<p class="muted">${this.t.term("linkByEmail")}</p>` : nothing}
        ${this.standing ? html`<p>${returning?.manageLink(this.t.language, this.standing)}</p>` : nothing}
      </div>
      <slot name="done"></slot>`;
  }

  /** Opens the form once its fields are here (the first time, a moment after the click). */
  private async open() {
    try {
      [filling] = await Promise.all([filling ?? import("./form"), import("./form-fields")]);
      questions ??= await filling.loadQuestions(this.data);
      // A priced session's registration goes on to checkout (returning.ts).
      if (this.data?.price) await loadReturning();
    } catch (error) {
      return this.failed({ code: "network", detail: String(error), status: 0 });
    }
    this.formError = "";
    await this.show("form", "input");
  }

  private async show(view: View, focus: string) {
    this.view = view;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(focus)?.focus();
  }

  /** An API refusal: next to the field it concerns when there is one, above the buttons otherwise. */
  private refused(problem: Problem) {
    const message = this.fail(problem);
    const fieldOf: Partial<Record<ProblemCode, Fields>> = {
      already_registered: "email",
      invalid_code: "code",
      invalid_verification_code: "otp",
      verification_code_expired: "otp",
    };
    const target = fieldOf[problem.code];
    if (problem.code === "verification_code_expired") this.codeSent = false;
    questions?.refused(this, problem);
    if (problem.code === "already_registered" && !this.link) {
      const email = String(new FormData(this.renderRoot.querySelector("form")!).get("email") ?? "").trim();
      void import("./manage-link").then((m) => {
        manageLink = m;
        this.offer = email;
      });
    }
    if (target && (target !== "otp" || this.codeSent)) this.errors = { [target]: message };
    else if (problem.code === "validation_failed" && problem.errors?.length) {
      // Each refused field's sentence under it, in the element's language (their own chunk).
      import("../i18n/field-sentences").then(
        (m) => (this.errors = m.sentences(this.t.language, problem.errors!)),
        () => (this.formError = message),
      );
    } else this.formError = message;
  }

  /** This element as its invitation chunk works on it: the same object, its private state included. */
  private get answering(): Answering {
    return this as unknown as Answering;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "rollcall-join": RollcallJoin;
  }
}

/** "€25.00" / "25,00 €": the amount is in the currency's minor units (its own number of digits). */
function price(p: { amount: number; currency: string }, lang: string): string {
  const format = new Intl.NumberFormat(lang, { style: "currency", currency: p.currency });
  return format.format(p.amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}
