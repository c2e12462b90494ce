// <rollcall-roster>: the provider's view of who comes to a session, with every action on it.

import { html, nothing, type PropertyValues } from "lit";
import type { BulkInvitationAction, InvitationStatus } from "../../worker/invitations/statuses";
import type { RegistrationStatus } from "../../worker/registrations/statuses";
import { ROSTER_GROUPS, type RosterGroup } from "../../worker/roster/groups";
import { client, type Problem, type Result, type Roster } from "../api/client";
import { TokenSource } from "../api/tokens";
import { LocalizeController } from "../i18n/localize";
// The roster renders <rollcall-invite>: imported here so that the roster is whole when imported
// alone, and the browser fetches both at once.
import "../invite/define";
import { RollcallElement } from "../shared/element";
import { providerStyles } from "../shared/provider.styles";
import { theme } from "../shared/theme";
import { rosterCsv } from "./csv";
import { rosterEn } from "./roster.en";
import { rosterFr } from "./roster.fr";
import { styles } from "./roster.styles";

type Row = Roster["rows"][number];

/**
 * A row's status as the ledger words it. The roster's schema declares it as a plain string; the
 * words (typed to have every registration and invitation status) say which ones are known.
 */
const isStatus = (status: string): status is RegistrationStatus | InvitationStatus => `status_${status}` in rosterEn;

/**
 * A session's roster for its provider: the seats, everyone registered or invited grouped as
 * Confirmed · Waitlist · Invitations sent · Invitations to send · Expired / declined / cancelled,
 * with their actions, bulk send and resend, a CSV export, and "+ Add participant". Reloads after
 * each action, on `rollcall-invited`, and on each message of the session's live channel.
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
 * @attr api - Base URL of the Rollcall API. Defaults to the origin the script was loaded from.
 * @attr locale - `en` or `fr`. Defaults to the page's `lang`.
 *
 * @slot toolbar - Extra controls placed beside the roster's own buttons.
 *
 * @fires rollcall-error - The API refused a request. `detail: {code, detail}`.
 * @fires rollcall-invited - Bubbles up from the contained `<rollcall-invite>`.
 *
 * @csspart base - The card.
 * @csspart title - The session's title.
 * @csspart summary - The seats summary.
 * @csspart toolbar - The buttons above the groups.
 * @csspart button - Every button.
 * @csspart group - One group (a section with its table).
 * @csspart table - A group's table.
 * @csspart flag - A flag on a row (bounced, registered with another email, erased…).
 * @csspart dialog - The native `<dialog>` confirming an erasure.
 * @csspart error - Error messages.
 *
 * @cssprop [--rollcall-accent=#1d4ed8] - Buttons and focus ring.
 * @cssprop [--rollcall-on-accent=#ffffff] - Text on accent-coloured buttons.
 * @cssprop [--rollcall-surface=#ffffff] - Card background.
 * @cssprop [--rollcall-text=#1c1f26] - Text colour.
 * @cssprop [--rollcall-muted=#4b5563] - Secondary text.
 * @cssprop [--rollcall-border=#c4c9d2] - Borders and table rules.
 * @cssprop [--rollcall-danger=#b42318] - Flags and errors.
 * @cssprop [--rollcall-radius=8px] - Corner radius.
 * @cssprop [--rollcall-font=system-ui, sans-serif] - Font family.
 * @cssprop [--rollcall-font-size=16px] - Base font size.
 */
export class RollcallRoster extends RollcallElement {
  static override styles = [theme, providerStyles, styles];
  static override properties = {
    session: { reflect: true },
    token: {},
    tokenUrl: { attribute: "token-url" },
    roster: { state: true },
    error: { state: true },
    busy: { state: true },
    erasing: { state: true },
  };

  declare session: string | undefined;
  declare token: string | undefined;
  declare tokenUrl: string | undefined;
  declare private roster: Roster | undefined;
  declare private error: string;
  declare private busy: boolean;
  /** The row whose erasure the dialog asks to confirm. */
  declare private erasing: Row | undefined;
  // Both languages in the chunk: a provider's page is not on the public page's budget.
  protected readonly t = new LocalizeController(this, { en: rosterEn, fr: rosterFr });
  private readonly tokens = new TokenSource(() => this);
  /** Whether the error on screen is the roster's own failure to load (cleared by the next load). */
  private loadFailed = false;
  /** A load is in flight; another one is wanted after it. */
  private loading = false;
  private queued = false;

  constructor() {
    super();
    this.error = "";
    this.busy = false;
    this.addEventListener("rollcall-invited", () => void this.refresh());
  }

  private get http() {
    return client(this.base, this.tokens.fetch);
  }

  protected override get liveId() {
    return this.session;
  }

  protected override onLive() {
    void this.refresh();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("session") || changed.has("token") || changed.has("tokenUrl") || changed.has("api")) void this.refresh();
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
        if (result.ok) {
          this.roster = result.value;
          if (this.loadFailed) this.error = "";
        } else this.error = this.fail(result.problem);
        this.loadFailed = !result.ok;
      } while (this.queued);
    } finally {
      this.loading = false;
    }
  }

  /** Runs one action, then reloads; its refusal is shown above the groups. */
  private async act(action: Promise<Result<unknown>>) {
    this.busy = true;
    const result = await action;
    this.busy = false;
    this.error = result.ok ? "" : this.fail(result.problem as Problem);
    await this.refresh();
  }

  private invitation(id: string, action: BulkInvitationAction) {
    const path = `/v1/invitations/:id/${action}` as const;
    return this.act(this.http.call(path, "$post", { param: { id } }));
  }

  private bulk(action: Exclude<BulkInvitationAction, "cancel">) {
    const path = `/v1/sessions/:id/invitations/${action}` as const;
    return this.act(this.http.call(path, "$post", { param: { id: this.session! }, json: {} }));
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog")!;
  }

  /** Opens the confirmation, naming the person; "Back" has the focus, so Enter does not erase. */
  private async askErase(row: Row) {
    this.erasing = row;
    await this.updateComplete;
    this.dialog.showModal();
  }

  private erase() {
    const row = this.erasing;
    this.dialog.close();
    if (!row) return;
    return this.act(this.http.call("/v1/privacy/erase", "$post", { json: { email: row.email, sessionId: this.session! } }));
  }

  private async exportCsv() {
    const result = await rosterCsv(this.http, this.session!);
    if (!result.ok) {
      this.error = this.fail(result.problem);
      return;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(result.value);
    link.download = `roster-${this.session}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  override render() {
    const r = this.roster;
    return html`<div class="root card" part="base">
      ${r ? this.summary(r) : html`<p role="status">${this.error ? "" : this.t.term("loading")}</p>`}
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
      ${this.eraseDialog()}
    </div>`;
  }

  private eraseDialog() {
    const t = this.t;
    const row = this.erasing;
    return html`<dialog part="dialog" aria-labelledby="erase-title" aria-describedby="erase-what">
      <div class="root card">
        ${
          row
            ? html`<h2 id="erase-title">${t.term("eraseTitle")}</h2>
              <p><strong>${t.term("eraseWho", row.name, row.email)}</strong></p>
              <p id="erase-what">${t.term("eraseWhat")} ${t.term("eraseFinal")}</p>
              <div class="actions">
                <button part="button" class="secondary" autofocus @click=${() => this.dialog.close()}>${t.term("back")}</button>
                <button part="button" class="danger" @click=${this.erase}>${t.term("eraseConfirm", row.name || row.email)}</button>
              </div>`
            : nothing
        }
      </div>
    </dialog>`;
  }

  private summary(r: Roster) {
    const t = this.t;
    const { seats, minParticipants } = r.session;
    const count = (g: RosterGroup) => r.rows.filter((row) => row.group === g).length;
    const missing = minParticipants - seats.confirmed - seats.host;
    const parts = [
      t.term("seatsSummary", seats.capacity - seats.available, seats.capacity),
      seats.held ? t.term("held", seats.held) : "",
      t.term("available", seats.available),
      seats.waitlisted ? t.term("onWaitlist", seats.waitlisted) : "",
      minParticipants ? (missing > 0 ? t.term("toMinimum", missing, minParticipants) : t.term("minimumReached", minParticipants)) : "",
    ];
    const toSend = count("invitations_to_send");
    const pending = count("invitations_sent");
    return html`<h2 part="title">${r.session.title}</h2>
      <p part="summary">${parts.filter(Boolean).join(" · ")}</p>
      <div class="actions" part="toolbar">
        <rollcall-invite session=${this.session!} .token=${this.token} .tokenUrl=${this.tokenUrl} .api=${this.api} locale=${t.lang}></rollcall-invite>
        ${toSend ? html`<button part="button" class="secondary" ?disabled=${this.busy} @click=${() => this.bulk("send")}>${t.term("sendAll", toSend)}</button>` : nothing}
        ${pending ? html`<button part="button" class="secondary" ?disabled=${this.busy} @click=${() => this.bulk("resend")}>${t.term("resendAll", pending)}</button>` : nothing}
        <button part="button" class="secondary" @click=${this.exportCsv}>${t.term("exportCsv")}</button>
        <slot name="toolbar"></slot>
      </div>`;
  }

  private group(group: RosterGroup, rows: Row[]) {
    if (!rows.length && group !== "confirmed") return nothing;
    const t = this.t;
    const heading = `${t.term(`group_${group}`)} (${rows.length})`;
    return html`<section part="group" aria-label=${heading}>
      <h3>${heading}</h3>
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

  private row(row: Row) {
    const t = this.t;
    const who = row.name || row.email;
    const button = (label: string, run: () => unknown) =>
      html`<button part="button" class="secondary small" ?disabled=${this.busy} aria-label="${label} · ${who}" @click=${run}>${label}</button>`;
    const live = row.group !== "closed";
    const erased = row.flags.includes("erased");
    const actions = !live
      ? []
      : row.kind === "registration"
        ? [button(t.term("remove"), () => this.act(this.http.call("/v1/registrations/:id/cancel", "$post", { param: { id: row.id } })))]
        : [
            row.group === "invitations_sent"
              ? button(t.term("resend"), () => this.invitation(row.id, "resend"))
              : button(t.term("send"), () => this.invitation(row.id, "send")),
            button(t.term("cancel"), () => this.invitation(row.id, "cancel")),
          ];
    if (!erased) actions.push(button(t.term("erase"), () => this.askErase(row)));
    return html`<tr>
      <td>${erased ? html`<span class="muted">${t.term("erased")}</span>` : row.name}</td>
      <td>${row.email}</td>
      <td>
        ${isStatus(row.status) ? t.term(`status_${row.status}`) : row.status}${row.waitlistPosition ? ` ${t.term("position", row.waitlistPosition)}` : ""}
        ${row.flags.map(
          (flag) =>
            html` <span part="flag" class=${flag === "capacity_raised" ? "flag note" : "flag"}>${t.term(`flag_${flag}`)}${flag === "email_mismatch" && row.invitedEmail ? ` (${row.invitedEmail})` : ""}</span>`,
        )}
      </td>
      <td><div class="row-actions">${actions}</div></td>
    </tr>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "rollcall-roster": RollcallRoster;
  }
}
