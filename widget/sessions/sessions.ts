// <rollcall-sessions>: an org's public listing on any site: its upcoming sessions, each with its
// date in the visitor's zone, seats left and a Join link to the session's page, with filters.

import { html, nothing } from "lit";
import { sessionDateTime } from "../../worker/time/date-words";
import { type Body, network, type Problem, type Result, settle } from "../api/client";
import { LocalizeController, type Words } from "../i18n/localize";
import { headingAt, RollcallElement } from "../shared/element";
import { theme } from "../shared/theme";
import { sessionsEn } from "./sessions.en";
import { styles } from "./sessions.styles";

const words: Words<typeof sessionsEn> = { en: sessionsEn, fr: () => import("./sessions.fr").then((m) => m.sessionsFr) };

type Listing = Body<"/v1/public/orgs/:slug/sessions", "$get">;
type Listed = Listing["sessions"][number];

/**
 * Seat counts refresh by reading the listing again at this pace (the API lets caches keep it as
 * long), while the page is visible: one request for every row, where a live channel per session
 * would open one socket per row of a long list.
 */
export const REFRESH_MS = 30_000;

/**
 * An org's upcoming sessions: each with its date and time in the visitor's time zone, the seats
 * left and a Join link that opens the session's own page; program and tag filters when the org
 * uses them; more on demand. Seat counts refresh every 30 seconds while the page is visible.
 *
 * @summary List an organisation's upcoming sessions.
 * @tag rollcall-sessions
 *
 * @attr org - The organisation's public address (its slug, as in `/o/{slug}`).
 * @attr host - Only the sessions of this host: their public page's address (as in `/o/{slug}/hosts/{host}`), which they find in the hosted admin under Your public page.
 * @attr api - Base URL of the Rollcall API. Defaults to the origin the script was loaded from.
 * @attr locale - `en` or `fr`. Defaults to the page's `lang`.
 * @attr heading-level - The level of the list's heading in the page's outline, 1 to 6 (each session's title one below). Defaults to 2.
 *
 * @fires {CustomEvent<RollcallEvents["error"]>} rollcall-error - The API refused a request. `detail: {code, detail}` (the API's problem code).
 *
 * @csspart base - The card around the list.
 * @csspart title - The heading.
 * @csspart filters - The program and tag filters.
 * @csspart list - The list of sessions.
 * @csspart session - One session's row.
 * @csspart when - A session's date and time, in the visitor's time zone.
 * @csspart seats - Seats left, or the registration state.
 * @csspart join - A session's Join link.
 * @csspart button - Every button.
 * @csspart error - Error messages.
 *
 * @cssprop [--rollcall-accent=#1d4ed8] - Join links, focus ring, seats.
 * @cssprop [--rollcall-on-accent=#ffffff] - Text on accent-coloured links and buttons.
 * @cssprop [--rollcall-surface=#ffffff] - Card background.
 * @cssprop [--rollcall-text=#1c1f26] - Text colour.
 * @cssprop [--rollcall-muted=#4b5563] - Secondary text.
 * @cssprop [--rollcall-border=#c4c9d2] - Borders.
 * @cssprop [--rollcall-danger=#b42318] - Errors.
 * @cssprop [--rollcall-radius=8px] - Corner radius.
 * @cssprop [--rollcall-font=system-ui, sans-serif] - Font family.
 * @cssprop [--rollcall-font-size=16px] - Base font size.
 */
export class RollcallSessions extends RollcallElement {
  static override styles = [theme, styles];
  static override properties = {
    org: { reflect: true },
    host: { reflect: true },
    headingLevel: { type: Number, attribute: "heading-level" },
    listing: { state: true },
    failure: { state: true },
    program: { state: true },
    tag: { state: true },
    busy: { state: true },
  };

  declare org: string | undefined;
  declare host: string | undefined;
  declare headingLevel: number | undefined;
  declare private listing: Listing | undefined;
  declare private failure: string;
  declare private program: string;
  declare private tag: string;
  declare private busy: boolean;
  protected readonly t = new LocalizeController(this, words);
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.failure = "";
    this.program = "";
    this.tag = "";
    this.busy = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.timer = setInterval(() => {
      if (document.visibilityState === "visible" && this.listing && !this.busy) void this.refresh();
    }, REFRESH_MS);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  /** The org and API base last loaded: an update held back until the words arrive still loads. */
  private loadedFor: string | undefined;

  protected override willUpdate() {
    const key = `${this.base} ${this.org ?? ""} ${this.host ?? ""}`;
    if (key === this.loadedFor) return;
    this.loadedFor = key;
    void this.load();
  }

  /** One page of the listing under the current filters. Beside the typed client: it takes a query string. */
  private async fetchPage(cursor: string | null, limit = 20): Promise<Result<Listing>> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (this.program) query.set("program", this.program);
    if (this.tag) query.set("tag", this.tag);
    if (this.host) query.set("host", this.host);
    if (cursor) query.set("cursor", cursor);
    try {
      return await settle<Listing>(await fetch(`${this.base}/v1/public/orgs/${encodeURIComponent(this.org ?? "")}/sessions?${query}`));
    } catch (error) {
      return network(error);
    }
  }

  private showProblem(problem: Problem) {
    const sentence = this.fail(problem);
    this.failure = problem.code === "not_found" ? this.t.term(this.host ? "unknownHost" : "unknownOrg") : sentence;
  }

  /** The listing from its start. */
  private load = async () => {
    if (!this.org) return;
    this.busy = true;
    this.listing = undefined;
    this.failure = "";
    const page = await this.fetchPage(null);
    this.busy = false;
    if (page.ok) this.listing = page.value;
    else this.showProblem(page.problem);
  };

  /** The rows shown, read again (seat counts change); quietly keeps what is shown when it fails. */
  private async refresh() {
    const shown = this.listing?.sessions.length ?? 0;
    const page = await this.fetchPage(null, Math.min(50, Math.max(20, shown)));
    if (page.ok) this.listing = page.value;
  }

  private more = async () => {
    const next = this.listing?.next;
    if (!next || this.busy) return;
    this.busy = true;
    const page = await this.fetchPage(next);
    this.busy = false;
    if (!page.ok) return this.showProblem(page.problem);
    this.listing = { ...page.value, sessions: [...(this.listing?.sessions ?? []), ...page.value.sessions] };
  };

  private filter(which: "program" | "tag", event: Event) {
    this[which] = (event.target as HTMLSelectElement).value;
    void this.load();
  }

  override render() {
    const l = this.listing;
    return html`<div class="root card" part="base">
      <h2 part="title" aria-level=${headingAt(this.headingLevel)}>${l?.host ? this.t.term("hostHeading", l.host.name) : this.t.term("heading")}</h2>
      ${l ? this.filters(l) : nothing}
      ${
        this.failure
          ? html`<p role="alert" part="error" class="error">${this.failure}</p>
            <button part="button" class="secondary" @click=${this.load}>${this.t.term("retry")}</button>`
          : !l
            ? html`<p role="status">${this.t.term("loading")}</p>`
            : l.sessions.length === 0
              ? html`<p role="status">${this.t.term("none")}</p>`
              : html`<p class="muted">${this.t.term("yourTime")}</p>
                <ul part="list">${l.sessions.map((s) => this.row(s))}</ul>
                ${
                  l.next
                    ? html`<button part="button" class="secondary" ?disabled=${this.busy} @click=${this.more}>${this.t.term("more")}</button>`
                    : nothing
                }`
      }
    </div>`;
  }

  private filters(l: Listing) {
    const { programs, tags } = l.facets;
    if (programs.length === 0 && tags.length === 0) return nothing;
    const select = (which: "program" | "tag", options: { value: string; label: string }[]) =>
      html`<div class="field">
        <label for=${which}>${this.t.term(which)}</label>
        <select id=${which} @change=${(e: Event) => this.filter(which, e)}>
          <option value="" ?selected=${this[which] === ""}>${this.t.term("all")}</option>
          ${options.map((o) => html`<option value=${o.value} ?selected=${this[which] === o.value}>${o.label}</option>`)}
        </select>
      </div>`;
    return html`<div class="filters" part="filters">
      ${
        programs.length
          ? select(
              "program",
              programs.map((p) => ({ value: p.id, label: p.name })),
            )
          : nothing
      }
      ${
        tags.length
          ? select(
              "tag",
              tags.map((t) => ({ value: t, label: t })),
            )
          : nothing
      }
    </div>`;
  }

  private row(s: Listed) {
    // A list of what comes next: the year goes without saying.
    const when = this.t.span(s.startsAt, s.endsAt, { ...sessionDateTime(this.t.lang), year: undefined, timeZoneName: "short" });
    const state = s.registrationState;
    const seats =
      state === "open"
        ? this.t.term("seatsLeft", s.seats.available)
        : state === "full"
          ? this.t.term(s.waitlist ? "waitlistOpen" : "full")
          : state === "not_yet_open"
            ? this.t.term("notYetOpen")
            : this.t.term("closed");
    const canJoin = state === "open" || (state === "full" && s.waitlist);
    const action = this.t.term(state === "open" ? "join" : "joinWaitlist");
    return html`<li part="session">
      <h3 aria-level=${headingAt(this.headingLevel, 1)}>${s.title}</h3>
      <p part="when"><time datetime=${s.startsAt}>${when}</time></p>
      ${s.program ? html`<p class="muted">${s.program.name}</p>` : nothing}
      ${s.host && !this.host ? html`<p class="muted">${this.t.term("with", s.host.name)}</p>` : nothing}
      <p part="seats" class="seats">${seats}</p>
      ${
        canJoin
          ? html`<a part="join" class="join" href=${`${this.base}${s.url}`} aria-label=${this.t.term("joinLabel", action, s.title)}
              >${action}</a
            >`
          : nothing
      }
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "rollcall-sessions": RollcallSessions;
  }
}
