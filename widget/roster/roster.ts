// <rollcall-roster>: the provider's view of who comes to a session, with every action on it.

import { html, nothing, type PropertyValues } from "lit";
import { answerLines } from "../../worker/forms/display";
import type { InvitationStatus } from "../../worker/invitations/statuses";
import type { RegistrationStatus } from "../../worker/registrations/statuses";
import { rosterFilename } from "../../worker/roster/filename";
import { ROSTER_GROUPS, type RosterGroup } from "../../worker/roster/groups";
import { formatInstant } from "../../worker/time/format";
import { type Client, client, type Problem, type Result, type Roster } from "../api/client";
import { TokenSource } from "../api/tokens";
import { LocalizeController } from "../i18n/localize";
// The roster renders <rollcall-invite>: imported here so that the roster is whole when imported
// alone, and the browser fetches both at once.
import "../invite/define";
import { headingAt, RollcallElement, type RollcallEvents } from "../shared/element";
import { providerStyles } from "../shared/provider.styles";
import { theme } from "../shared/theme";
import { rosterCsv } from "./csv";
import { rosterEn } from "./roster.en";
import { rosterFr } from "./roster.fr";
import { styles } from "./roster.styles";
import type { EditedInvitation, RollcallWords } from "./words";

type Row = Roster["rows"][number];

/** How long a removal or a cancellation waits, with its Undo, before its request goes. */
export const UNDO_MS = 6000;
/** How long a sentence saying what was done stays. */
const NOTICE_MS = 6000;

/**
 * One button of a row. A row's buttons are the entries of `rowActions()`: another action is one
 * more entry there.
 */
export type RowAction = {
  /** What undoing it is called in the `rollcall-undone` event, when it can be undone. */
  key: string;
  label: string;
  /**
   * Destructive: ask first, in a dialog naming the person; then wait UNDO_MS with an Undo before
   * the request goes (nothing has left yet, so undoing is safe).
   */
  confirm?: { title: string; body: string; yes: string; pending: string };
  /** Does it through `http` (a keepalive client when the page is going away), then says so. */
  run: (http: Client) => Promise<void>;
};

type Pending = { row: Row; action: RowAction; timer: number };

/**
 * A row's status as the ledger words it. The roster's schema declares it as a plain string; the
 * words (typed to have every registration and invitation status) say which ones are known.
 */
const isStatus = (status: string): status is RegistrationStatus | InvitationStatus => `status_${status}` in rosterEn;

/**
 * A session's roster for its provider: its state and seats, everyone registered or invited grouped
 * as Confirmed · Waitlist · Invitations sent · Invitations to send · Expired / declined / cancelled,
 * with their actions, bulk send and resend, a CSV export, and "+ Add participant". Reloads after
 * each action, on `rollcall-invited`, and on each message of the session's live channel: its
 * header (state and seats) is the session page's live one. Remove and Cancel ask first, naming the
 * person, then wait a few seconds with an Undo before they are done; leaving the page does them
 * at once. Rows become cards in a narrow container (a phone).
 * A line says when emails are stuck or could not be sent. A priced session's summary says its price
 * and what was paid so far; each registration's payment is marked with its amount.
 *
 * An invitation still to send has "Edit email": its subject, button text and message, in a dialog
 * whose code loads then (PATCH /v1/invitations/{id}), saved, or saved and sent.
 *
 * Each row can erase the person's personal data in this session (POST /v1/privacy/erase, after a
 * confirmation that names them): the row stays, anonymous, and the counts do not change.
 *
 * @summary Watch and manage who comes to a session (provider side).
 * @tag rollcall-roster
 *
 * @attr session - The session id (`ses_…`).
 * @attr token - A widget token (from POST /v1/widget-tokens).
 * @attr token-url - A URL on your own backend answering `{token, expiresAt}`; used when `token` is absent.
 * @attr trust-api - Present: a token from `token-url` may go to `api` even when `api` is neither the token URL's
 *   origin nor the one this script came from. Only for an `api` you set yourself, never one taken from a link.
 * @attr api - Base URL of the Rollcall API. Defaults to the origin the script was loaded from.
 * @attr locale - `en` or `fr`. Defaults to the page's `lang`.
 * @attr invitation-locale - `en` or `fr`: passed to its `<rollcall-invite>`: the invitations' language chosen first,
 *   for people without one of their own. Defaults to `locale`.
 * @attr heading-level - The level of the session's title in the page's outline, 1 to 6 (each group's heading one below). Defaults to 2.
 * @attr no-invite - Present: no inviting from this roster (no "+ Add participant", no send or resend), for a
 *   member who may run the session but not invite (a host of an org whose hosts may not invite).
 * @attr contact-link - A link to a contact's page with `{id}` where the contact id goes (e.g. `/admin/contacts/{id}`):
 *   each name whose row is linked to a contact of the directory links there. Absent: names are plain text.
 *
 * @slot toolbar - Extra controls placed beside the roster's own buttons.
 *
 * @fires {CustomEvent<RollcallEvents["removed"]>} rollcall-removed - A participant was removed (after the undo window). `detail: {registration}`, the API's answer.
 * @fires {CustomEvent<RollcallEvents["invitation-sent"]>} rollcall-invitation-sent - An invitation to send was sent. `detail: {invitation}`.
 * @fires {CustomEvent<RollcallEvents["invitation-edited"]>} rollcall-invitation-edited - An invitation's email words were saved without sending it. `detail: {invitation}`.
 * @fires {CustomEvent<RollcallEvents["invitation-resent"]>} rollcall-invitation-resent - A pending invitation was sent again. `detail: {invitation}`.
 * @fires {CustomEvent<RollcallEvents["invitation-cancelled"]>} rollcall-invitation-cancelled - An invitation was cancelled (after the undo window). `detail: {invitation}`.
 * @fires {CustomEvent<RollcallEvents["invitations-sent"]>} rollcall-invitations-sent - "Send all to send" was done. `detail: {invitations, skipped}`.
 * @fires {CustomEvent<RollcallEvents["invitations-resent"]>} rollcall-invitations-resent - "Resend all pending" was done. `detail: {invitations, skipped}`.
 * @fires {CustomEvent<RollcallEvents["exported"]>} rollcall-exported - The CSV was downloaded. `detail: {filename}`.
 * @fires {CustomEvent<RollcallEvents["erased"]>} rollcall-erased - A person's data was erased from the session (after the undo window). `detail: {erasure}`, the API's answer.
 * @fires {CustomEvent<RollcallEvents["undone"]>} rollcall-undone - A removal, cancellation or erasure was undone before it was sent. `detail: {action: "remove" | "cancel" | "erase", id}`.
 * @fires {CustomEvent<RollcallEvents["error"]>} rollcall-error - The API refused a request. `detail: {code, detail}`.
 * @fires {CustomEvent<RollcallEvents["invited"]>} rollcall-invited - Bubbles up from the contained `<rollcall-invite>`.
 *
 * @csspart base - The card.
 * @csspart title - The session's title.
 * @csspart state - The session's registration state (open, full…).
 * @csspart summary - The seats summary.
 * @csspart mail - The line saying how many emails wait or could not be sent (only when some do).
 * @csspart toolbar - The buttons above the groups.
 * @csspart button - Every button.
 * @csspart group - One group (a section with its table).
 * @csspart table - A group's table.
 * @csspart flag - A flag on a row (bounced, registered with another email, erased…).
 * @csspart dialog - The native `<dialog>` confirming an erasure.
 * @csspart error - Error messages.
 * @csspart answers - A registration's answers to the form, under its name.
 * @csspart offline - The line saying the API cannot be reached (it goes once it can, and the roster reloads).
 * @csspart dialog - The dialog that asks before removing or cancelling.
 * @csspart toast - A message at the bottom of the roster: what was done, or what is about to be, with its Undo.
 *
 * @cssprop [--rollcall-accent=#1d4ed8] - Buttons and focus ring.
 * @cssprop [--rollcall-on-accent=#ffffff] - Text on accent-coloured buttons.
 * @cssprop [--rollcall-surface=#ffffff] - Card background.
 * @cssprop [--rollcall-text=#1c1f26] - Text colour.
 * @cssprop [--rollcall-muted=#4b5563] - Secondary text.
 * @cssprop [--rollcall-border=#c4c9d2] - Borders and table rules.
 * @cssprop [--rollcall-danger=#b42318] - Flags, errors and the buttons that remove or cancel.
 * @cssprop [--rollcall-radius=8px] - Corner radius.
 * @cssprop [--rollcall-font=system-ui, sans-serif] - Font family.
 * @cssprop [--rollcall-font-size=16px] - Base font size.
 */
export class RollcallRoster extends RollcallElement {
  static override styles = [theme, providerStyles, styles];
  static override properties = {
    session: { reflect: true },
    headingLevel: { type: Number, attribute: "heading-level" },
    invitationLocale: { attribute: "invitation-locale" },
    token: {},
    tokenUrl: { attribute: "token-url" },
    trustApi: { type: Boolean, attribute: "trust-api" },
    contactLink: { attribute: "contact-link" },
    noInvite: { type: Boolean, attribute: "no-invite" },
    roster: { state: true },
    error: { state: true },
    busy: { state: true },
    confirming: { state: true },
    notice: { state: true },
    editor: { state: true },
  };

  declare session: string | undefined;
  declare headingLevel: number | undefined;
  declare invitationLocale: string | undefined;
  declare token: string | undefined;
  declare tokenUrl: string | undefined;
  declare trustApi: boolean;
  declare contactLink: string | undefined;
  declare noInvite: boolean;
  declare private roster: Roster | undefined;
  declare private error: string;
  declare private busy: boolean;
  /** The action the dialog asks about. */
  declare private confirming: { row: Row; action: RowAction } | undefined;
  /** The sentence saying what was last done. */
  declare private notice: string;
  /** The invitation email's editor is here once its chunk has loaded (the first Edit). */
  declare private editor: boolean;
  // Both languages in the chunk: a provider's page is not on the public page's budget.
  protected readonly t = new LocalizeController(this, { en: rosterEn, fr: rosterFr });
  private readonly tokens = new TokenSource(() => this);
  /** Removals and cancellations waiting out their undo window, by row id. */
  private readonly pending = new Map<string, Pending>();
  private noticeTimer: number | undefined;
  /** Whether the error on screen is the roster's own failure to load (cleared by the next load). */
  private loadFailed = false;
  /** A load is in flight; another one is wanted after it. */
  private loading = false;
  private queued = false;

  constructor() {
    super();
    this.trustApi = false;
    this.noInvite = false;
    this.error = "";
    this.busy = false;
    this.notice = "";
    this.editor = false;
    this.addEventListener("rollcall-invited", () => void this.refresh());
  }

  private get http() {
    return client(this.base, this.tokens.fetch);
  }

  /** For requests that must outlive the page: the browser sends them even as it unloads. */
  private get keepalive() {
    return client(this.base, (url, init) => this.tokens.fetch(url, { ...init, keepalive: true }));
  }

  protected override get liveId() {
    return this.session;
  }

  protected override onLive() {
    void this.refresh();
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("pagehide", this.leave);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener("pagehide", this.leave);
    this.leave();
  }

  /** Leaving closes every undo window: what was confirmed is done now. */
  private readonly leave = () => {
    for (const id of [...this.pending.keys()]) void this.flush(id, this.keepalive);
  };

  protected override willUpdate(changed: PropertyValues<this>) {
    const source = changed.has("token") || changed.has("tokenUrl") || changed.has("trustApi") || changed.has("api");
    if (source || changed.has("session")) void this.refresh();
  }

  /**
   * Reloads the roster, one load at a time: a call during a load queues one more after it.
   * An error keeps the last rows on screen and says what went wrong.
   */
  async refresh() {
    if (this.loading) {
      this.queued = true;
      return;
    }
    this.loading = true;
    try {
      do {
        this.queued = false;
        if (!this.session) return;
        const result = await this.http.call("/v1/sessions/:id/roster", "$get", { param: { id: this.session } });
        // An outage is the offline state (the rows stay, and it goes by itself); the rest is said.
        const outage = !result.ok && result.problem.code === "network";
        this.offline = outage;
        if (result.ok) {
          this.roster = result.value;
          if (this.loadFailed) this.error = "";
        } else {
          const message = this.fail(result.problem);
          this.error = outage ? "" : message;
        }
        this.loadFailed = !result.ok;
      } while (this.queued);
    } finally {
      this.loading = false;
    }
  }

  /** Says what was done, for a while. */
  private say(text: string) {
    const timers = RollcallElement.timers;
    timers.clearTimeout(this.noticeTimer);
    this.notice = text;
    this.noticeTimer = timers.setTimeout(() => (this.notice = ""), NOTICE_MS);
  }

  /** One request, then a reload; a refusal is shown above the groups, a success said and announced. */
  private async act<T>(request: Promise<Result<T>>, done: (value: T) => void) {
    this.busy = true;
    const result = await request;
    this.busy = false;
    this.error = result.ok ? "" : this.fail(result.problem as Problem);
    if (result.ok) done(result.value);
    await this.refresh();
  }

  /** The event of a success, and the sentence that says it. */
  private done<K extends keyof RollcallEvents>(name: K, detail: RollcallEvents[K], text: string) {
    this.emit(name, detail);
    this.say(text);
  }

  private bulk(action: "send" | "resend") {
    const path = `/v1/sessions/:id/invitations/${action}` as const;
    return this.act(this.http.call(path, "$post", { param: { id: this.session! }, json: {} }), (value) => {
      const t = this.t;
      const skipped = value.skipped.length ? ` ${t.term("skippedAll", value.skipped.length)}` : "";
      const count = value.invitations.length;
      if (action === "send") this.done("invitations-sent", value, t.term("sentAll", count) + skipped);
      else this.done("invitations-resent", value, t.term("resentAll", count) + skipped);
    });
  }

  private async exportCsv() {
    const r = this.roster;
    if (!r) return;
    const result = await rosterCsv(this.http, r.session.id);
    if (!result.ok) {
      this.error = this.fail(result.problem);
      return;
    }
    const filename = rosterFilename(r.session);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(result.value);
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    this.done("exported", { filename }, this.t.term("exported", filename));
  }

  /** The buttons of a row, in order. */
  protected rowActions(row: Row): RowAction[] {
    const erase = this.eraseAction(row);
    return [...this.statusActions(row), ...(erase ? [erase] : [])];
  }

  /** Erase: the person's data leaves this session (and D1's copy of it); counts stay. */
  private eraseAction(row: Row): RowAction | undefined {
    if (row.flags.includes("erased") || !row.email) return undefined;
    const t = this.t;
    const who = row.name || row.email;
    return {
      key: "erase",
      label: t.term("erase"),
      confirm: {
        title: t.term("eraseTitle"),
        body: `${t.term("eraseWho", row.name, row.email)}: ${t.term("eraseWhat")} ${t.term("eraseFinal")}`,
        yes: t.term("eraseConfirm", who),
        pending: t.term("erasing", who),
      },
      run: (http) =>
        this.act(http.call("/v1/privacy/erase", "$post", { json: { email: row.email, sessionId: this.session! } }), (erasure) =>
          this.done("erased", { erasure }, t.term("erasedDone", who)),
        ),
    };
  }

  /** What the row's status allows: remove a registration; send, resend or cancel an invitation. */
  private statusActions(row: Row): RowAction[] {
    if (row.group === "closed") return [];
    const t = this.t;
    const who = row.name || row.email;
    const id = { param: { id: row.id } };
    if (row.kind === "registration") {
      return [
        {
          key: "remove",
          label: t.term("remove"),
          confirm: {
            title: t.term("removeTitle", who),
            body: t.term("removeBody", who),
            yes: t.term("removeYes"),
            pending: t.term("removing", who),
          },
          run: (http) =>
            this.act(http.call("/v1/registrations/:id/cancel", "$post", id), (registration) =>
              this.done("removed", { registration }, t.term("removed", who)),
            ),
        },
      ];
    }
    const send: RowAction =
      row.group === "invitations_sent"
        ? {
            key: "resend",
            label: t.term("resend"),
            run: (http) =>
              this.act(http.call("/v1/invitations/:id/resend", "$post", id), (invitation) =>
                this.done("invitation-resent", { invitation }, t.term("resent", who)),
              ),
          }
        : {
            key: "send",
            label: t.term("send"),
            run: (http) =>
              this.act(http.call("/v1/invitations/:id/send", "$post", id), (invitation) =>
                this.done("invitation-sent", { invitation }, t.term("sent", who)),
              ),
          };
    // Seed 002: an invitation still to send can have its email's words edited before it goes.
    const edit: RowAction = {
      key: "edit",
      label: t.term("editEmail"),
      run: () => this.edit({ id: row.id, session: this.session!, status: row.status === "scheduled" ? "scheduled" : "draft", who }),
    };
    return [
      ...(this.noInvite ? [] : row.group === "invitations_to_send" ? [send, edit] : [send]),
      {
        key: "cancel",
        label: t.term("cancel"),
        confirm: {
          title: t.term("cancelTitle", who),
          body: t.term("cancelBody"),
          yes: t.term("cancelYes"),
          pending: t.term("cancelling", who),
        },
        run: (http) =>
          this.act(http.call("/v1/invitations/:id/cancel", "$post", id), (invitation) =>
            this.done("invitation-cancelled", { invitation }, t.term("cancelled", who)),
          ),
      },
    ];
  }

  private get dialog() {
    return this.renderRoot.querySelector<HTMLDialogElement>("dialog.confirm")!;
  }

  /** The invitation email's editor, its chunk loaded the first time. */
  private async edit(invitation: EditedInvitation) {
    try {
      await import("./words");
    } catch {
      this.error = this.t.term("error");
      return;
    }
    this.editor = true;
    await this.updateComplete;
    await this.renderRoot.querySelector<RollcallWords>("rollcall-words")?.show(invitation);
  }

  /** The editor saved an invitation's words, or saved and sent it: said, then reloaded (the event goes on to the page). */
  private readonly edited = (event: CustomEvent<RollcallEvents["invitation-sent"] | RollcallEvents["invitation-edited"]>) => {
    const { invitation } = event.detail;
    const sent = event.type === "rollcall-invitation-sent";
    this.say(this.t.term(sent ? "sent" : "edited", invitation.name || invitation.email));
    // Sent, its row leaves the group to send, with the Edit button focus would go back to: focus
    // goes to the summary instead, not to the page's start.
    void this.refresh().then(() => sent && this.renderRoot.querySelector<HTMLElement>(".summary")?.focus());
  };

  private async choose(row: Row, action: RowAction) {
    if (!action.confirm) return action.run(this.http);
    this.confirming = { row, action };
    await this.updateComplete;
    this.dialog.showModal();
  }

  /** Yes in the dialog: the action waits out its undo window, with the Undo at hand. */
  private async confirmed() {
    const c = this.confirming;
    this.dialog.close();
    if (!c || this.pending.has(c.row.id)) return;
    const timer = RollcallElement.timers.setTimeout(() => void this.flush(c.row.id), UNDO_MS);
    this.pending.set(c.row.id, { ...c, timer });
    this.notice = "";
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.toast [data-undo="${c.row.id}"]`)?.focus();
  }

  private undo(id: string) {
    const p = this.pending.get(id);
    if (!p) return;
    RollcallElement.timers.clearTimeout(p.timer);
    this.pending.delete(id);
    this.say(this.t.term("undone", p.row.name || p.row.email));
    this.emit("undone", { action: p.action.key as RollcallEvents["undone"]["action"], id });
    this.focusAway();
  }

  /** The undo window closed (or the page is going): the request goes now. */
  private async flush(id: string, http = this.http) {
    const p = this.pending.get(id);
    if (!p) return;
    RollcallElement.timers.clearTimeout(p.timer);
    this.pending.delete(id);
    this.focusAway();
    await p.action.run(http);
  }

  /** Focus on an Undo that is about to go moves to the summary, not to the page's start. */
  private focusAway() {
    const focused = this.renderRoot.querySelector(".toast :focus");
    this.requestUpdate();
    if (focused) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("[part~=summary]")?.focus());
  }

  override render() {
    const r = this.roster;
    const c = this.confirming?.action.confirm;
    const t = this.t;
    return html`<div class="root card" part="base">
      ${this.offlineNotice()}
      ${r ? this.summary(r) : html`<p role="status">${this.error || this.offline ? "" : t.term("loading")}</p>`}
      <p class="error" part="error" role="alert">${this.error}</p>
      ${
        r
          ? ROSTER_GROUPS.map((g) =>
              this.group(
                g,
                r.rows.filter((row) => row.group === g),
              ),
            )
          : nothing
      }
      <div class="toasts" role="status">
        ${[...this.pending.values()].map(
          (p) => html`<p class="toast" part="toast">
            <span>${p.action.confirm?.pending}</span>
            <button part="button" class="small" data-undo=${p.row.id} aria-label="${t.term("undo")} · ${p.row.name || p.row.email}" @click=${() => this.undo(p.row.id)}>
              ${t.term("undo")}
            </button>
          </p>`,
        )}
        ${this.notice ? html`<p class="toast" part="toast">${this.notice}</p>` : nothing}
      </div>
      <dialog class="confirm" part="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-body">
        <div class="root card">
          <h2 id="confirm-title">${c?.title}</h2>
          <p id="confirm-body">${c?.body}</p>
          <div class="actions">
            <button part="button" class="danger" @click=${this.confirmed}>${c?.yes}</button>
            <button part="button" class="secondary" autofocus @click=${() => this.dialog.close()}>${t.term("keep")}</button>
          </div>
        </div>
      </dialog>
      ${
        this.editor
          ? html`<rollcall-words api=${this.base} locale=${t.language} .request=${this.tokens.fetch}
              @rollcall-invitation-sent=${this.edited} @rollcall-invitation-edited=${this.edited}></rollcall-words>`
          : nothing
      }
    </div>`;
  }

  private summary(r: Roster) {
    const t = this.t;
    const { seats, minParticipants, registrationState } = r.session;
    const decision = r.session.minimum.decision;
    const count = (g: RosterGroup) => r.rows.filter((row) => row.group === g).length;
    const missing = minParticipants - seats.confirmed - seats.host;
    const parts = [
      t.term("seatsSummary", seats.capacity - seats.available, seats.capacity),
      seats.held ? t.term("held", seats.held) : "",
      t.term("available", seats.available),
      seats.waitlisted ? t.term("onWaitlist", seats.waitlisted) : "",
      minParticipants ? (missing > 0 ? t.term("toMinimum", missing, minParticipants) : t.term("minimumReached", minParticipants)) : "",
      decision === "pending" ? "" : t.term(`decided_${decision}`),
      r.session.price ? t.term("price", money(r.session.price.amount, r.session.price.currency, t.lang)) : "",
      // What stays paid so far (payments less refunds), once anything was paid.
      // (`?? []`: an API older than this script answers none.)
      ...(r.payments ?? []).filter((p) => p.paid > 0).map((p) => t.term("paidSoFar", money(p.net, p.currency, t.lang))),
    ];
    const toSend = count("invitations_to_send");
    const pending = count("invitations_sent");
    const mail = [r.mail.waiting ? t.term("mailWaiting", r.mail.waiting) : "", r.mail.failed ? t.term("mailFailed", r.mail.failed) : ""];
    return html`<h2 part="title" aria-level=${headingAt(this.headingLevel)}>${r.session.title}</h2>
      <p class="summary" tabindex="-1"><span part="state" class="badge state-${registrationState}">${t.term(`state_${registrationState}`)}</span>
        <span part="summary">${parts.filter(Boolean).join(" · ")}</span></p>
      ${mail.some(Boolean) ? html`<p part="mail" class="error" role="status">${mail.filter(Boolean).join(" · ")}</p>` : nothing}
      <div class="actions" part="toolbar">
        ${this.noInvite ? nothing : html`<rollcall-invite session=${this.session!} .token=${this.token} .tokenUrl=${this.tokenUrl} .trustApi=${this.trustApi} .api=${this.api} .timeZone=${r.session.timeZone} .invitationLocale=${this.invitationLocale} locale=${t.lang}></rollcall-invite>`}
        ${toSend && !this.noInvite ? html`<button part="button" class="secondary" ?disabled=${this.busy} @click=${() => this.bulk("send")}>${t.term("sendAll", toSend)}</button>` : nothing}
        ${pending && !this.noInvite ? html`<button part="button" class="secondary" ?disabled=${this.busy} @click=${() => this.bulk("resend")}>${t.term("resendAll", pending)}</button>` : nothing}
        <button part="button" class="secondary" @click=${this.exportCsv}>${t.term("exportCsv")}</button>
        <slot name="toolbar"></slot>
      </div>`;
  }

  private group(group: RosterGroup, rows: Row[]) {
    if (!rows.length && group !== "confirmed") return nothing;
    const t = this.t;
    const heading = `${t.term(`group_${group}`)} (${rows.length})`;
    return html`<section part="group" aria-label=${heading}>
      <h3 aria-level=${headingAt(this.headingLevel, 1)}>${heading}</h3>
      ${
        rows.length
          ? html`<table part="table">
            <thead>
              <tr>
                <th scope="col">${t.term("name")}</th>
                <th scope="col">${t.term("email")}</th>
                <th scope="col">${t.term("status")}</th>
                <th scope="col"><span class="sr-only">${t.term("actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              ${rows.map((row) => this.row(row))}
            </tbody>
          </table>`
          : html`<p class="muted">${t.term("nobody")}</p>`
      }
    </section>`;
  }

  /** The row's name, linked to its contact's page when the page gave a link and the row has a contact. */
  private name(row: Row) {
    const href = row.contactId && row.name ? this.contactHref(row.contactId) : null;
    return href ? html`<a href=${href}>${row.name}</a>` : row.name;
  }

  /** The contact's page from `contact-link`: an http(s) address only (never `javascript:` and the like). */
  private contactHref(contactId: string): string | null {
    if (!this.contactLink?.includes("{id}")) return null;
    try {
      const url = new URL(this.contactLink.replace("{id}", encodeURIComponent(contactId)), document.baseURI);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  /** The registration's answers to the form (the version it answered), "question: answer" in the roster's language. */
  private answers(row: Row) {
    const fields = this.roster?.formVersions.find((v) => v.version === row.formVersion)?.fields ?? [];
    const lines = answerLines(fields, row.answers, this.t.language);
    return lines.length
      ? html`<span part="answers" class="answers">${lines.map((l) => this.t.term("answer", l.label, l.value)).join(" · ")}</span>`
      : nothing;
  }

  /** How the invitation of a person who chose SMS went: by SMS, or by email and why. */
  private channelNote(row: Row) {
    const term = row.smsFallback ? (`smsFallback_${row.smsFallback}` as const) : row.channel === "sms" ? "channel_sms" : null;
    return term ? html` <span part="flag" class="flag note channel">${this.t.term(term)}</span>` : nothing;
  }

  /**
   * A registration's money, its mark and its amount in one phrase (read together): awaiting payment
   * while the seat is held for it, paid, owed back, paid back (what went back), or unpaid.
   */
  private paymentMark(row: Row) {
    const p = row.payment;
    // Owed later, not now (on the waitlist of a priced session): the status says where it stands.
    if (!p || (p.status === "pending" && row.status !== "pending_payment")) return nothing;
    const amount = money(p.status === "refunded" ? (p.refundedAmount ?? p.amountDue) : p.amountDue, p.currency, this.t.lang);
    return html` <span part="flag" class="flag note">${this.t.term(`pay_${p.status}`, amount)}</span>`;
  }

  private row(row: Row) {
    const t = this.t;
    const who = row.name || row.email;
    const waiting = this.pending.has(row.id);
    const erased = row.flags.includes("erased");
    const zone = this.roster?.session.timeZone ?? "UTC";
    return html`<tr class=${waiting ? "waiting" : ""}>
      <td class="name">${erased ? html`<span class="muted">${t.term("erased")}</span>` : html`${this.name(row)}${this.answers(row)}`}</td>
      <td class="email">${row.email}</td>
      <td class="status">
        ${isStatus(row.status) ? t.term(`status_${row.status}`) : row.status}${row.waitlistPosition ? ` ${t.term("position", row.waitlistPosition)}` : ""}${
          row.sendAt ? html` · <span class="when">${t.term("goesAt", formatInstant(row.sendAt, zone, t.lang))}</span>` : nothing
        }
        ${row.flags.map(
          (flag) =>
            html` <span part="flag" class=${flag === "capacity_raised" || flag === "reopened" || flag === "host" ? "flag note" : "flag"}>${t.term(`flag_${flag}`)}${flag === "email_mismatch" && row.invitedEmail ? ` (${row.invitedEmail})` : ""}</span>`,
        )}${row.discountCode ? html` <span part="flag" class="flag note">${t.term("discount", row.discountCode)}</span>` : nothing}${this.paymentMark(row)}${this.channelNote(row)}
      </td>
      <td class="act"><div class="row-actions">${this.rowActions(row).map(
        (action) =>
          html`<button part="button" class=${action.confirm ? "secondary small danger-text" : "secondary small"} ?disabled=${this.busy || waiting}
            aria-label="${action.label} · ${who}" @click=${() => this.choose(row, action)}>${action.label}</button>`,
      )}</div></td>
    </tr>`;
  }
}

/** "€22.50" / "22,50 €": an amount in the currency's minor units (its own number of digits), in the roster's language. */
function money(amount: number, currency: string, lang: string): string {
  const format = new Intl.NumberFormat(lang, { style: "currency", currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

declare global {
  interface HTMLElementTagNameMap {
    "rollcall-roster": RollcallRoster;
  }
}
