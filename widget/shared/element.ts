// What every Rollcall element shares: its API base, its language, its offline state, prefixed
// events, and a define() that is harmless when the script is loaded twice.

import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from "lit";
import type { Body, CreatedInvitations, Problem, ProblemCode, PublicSession, Registration } from "../api/client";
import { scriptOrigin } from "../api/origin";
import type { Picked } from "../invite/selection";
import { live, type Timers } from "./live";

export abstract class RollcallElement extends LitElement {
  static override properties: PropertyDeclarations = {
    api: { reflect: true },
    locale: { reflect: true },
    offline: { state: true },
  };

  /** Base URL of the Rollcall API; defaults to the origin this script was loaded from. */
  declare api: string | undefined;
  /** "en" or "fr"; defaults to the page's language. */
  declare locale: string | undefined;

  /** The timers of every element's live channel (tests put a fake clock here). */
  static timers: Timers = globalThis;

  /** The element's words, in its language (each element brings its own). */
  protected abstract readonly t: { readonly ready: boolean; problem(problem: Problem): string; term(key: "offline"): string };
  private liveUrl: string | undefined;
  private stopLive: (() => void) | undefined;
  /** The API cannot be reached: a call failed on the network, or the live channel dropped. */
  declare protected offline: boolean;
  private retryTimer: number | undefined;
  private retryDelay = 1000;

  protected get base(): string {
    return (this.api || scriptOrigin).replace(/\/+$/, "");
  }

  /** The session whose live channel the element follows while connected (none by default). */
  protected get liveId(): string | undefined {
    return undefined;
  }

  /** Each message of the live channel: the session's public state. */
  protected onLive(_session: PublicSession) {}

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("online", this.online);
    this.follow();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener("online", this.online);
    RollcallElement.timers.clearTimeout(this.retryTimer);
    this.follow();
  }

  /** Loads again what the element shows, once the network seems back (each element says how). */
  protected reconnected() {}

  /**
   * A call could not reach the API: the element says it is offline, and tries again by itself
   * after 1, 2, 4… (at most 60) seconds, and at once when the browser is back online.
   */
  protected lost() {
    if (!this.offline) this.retryDelay = 1000;
    this.offline = true;
    const timers = RollcallElement.timers;
    timers.clearTimeout(this.retryTimer);
    this.retryTimer = timers.setTimeout(() => this.reconnected(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 60_000);
  }

  /** A call reached the API (whatever it answered): no longer offline. */
  protected reached() {
    RollcallElement.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.offline = false;
  }

  private readonly online = () => {
    if (!this.offline) return;
    RollcallElement.timers.clearTimeout(this.retryTimer);
    this.reconnected();
  };

  /**
   * The offline state: a polite live region that is always there (so that screen readers hear it
   * change), saying so while the API cannot be reached.
   */
  protected offlineNotice() {
    return html`<div class="offline" role="status">
      ${this.offline ? html`<p part="offline" class="muted">${this.t.term("offline")}</p>` : nothing}
    </div>`;
  }

  /** Nothing is shown until the words of the element's language are here (they load once, then re-render). */
  protected override shouldUpdate(changed: PropertyValues): boolean {
    return this.t.ready && super.shouldUpdate(changed);
  }

  protected override updated() {
    this.follow();
  }

  /** Opens, moves or closes the live channel to match liveId, the API base and being connected. */
  private follow() {
    const id = this.isConnected && this.liveId;
    const url = id ? `${this.base.replace(/^http/, "ws")}/v1/public/sessions/${encodeURIComponent(id)}/live` : undefined;
    if (url === this.liveUrl) return;
    this.stopLive?.();
    this.liveUrl = url;
    this.stopLive = url
      ? live(
          url,
          (s) => {
            if (this.offline) this.reached();
            this.onLive(s);
          },
          RollcallElement.timers,
          () => (this.offline = true),
        )
      : undefined;
  }

  /** Dispatches `rollcall-<name>`: bubbling, composed (crosses shadow roots), typed detail. */
  protected emit<K extends keyof RollcallEvents>(name: K, detail: RollcallEvents[K]) {
    this.dispatchEvent(new CustomEvent(`rollcall-${name}`, { bubbles: true, composed: true, detail }));
  }

  /** The sentence for a problem, in the element's language, and the `rollcall-error` event. */
  protected fail(problem: Problem): string {
    this.emit("error", { code: problem.code, detail: problem.detail });
    return this.t.problem(problem);
  }
}

/**
 * Problems that may pass if the same call is made again. The others are configuration mistakes of
 * the page (its origin, its CSP, its token, its session id) that no "Try again" can mend.
 */
export const retryable = (problem: Problem) =>
  ["network", "internal_error", "unavailable", "rate_limited", "idempotency_conflict"].includes(problem.code);

/** The `detail` of each event, by name without the `rollcall-` prefix. */
export interface RollcallEvents {
  registered: { registration: Registration };
  declined: Record<string, never>;
  error: { code: ProblemCode; detail: string };
  invited: CreatedInvitations;
  // The roster's actions, each once the API has done it.
  removed: { registration: Body<"/v1/registrations/:id/cancel", "$post"> };
  "invitation-sent": { invitation: Body<"/v1/invitations/:id/send", "$post"> };
  "invitation-resent": { invitation: Body<"/v1/invitations/:id/resend", "$post"> };
  "invitation-cancelled": { invitation: Body<"/v1/invitations/:id/cancel", "$post"> };
  "invitations-sent": Body<"/v1/sessions/:id/invitations/send", "$post">;
  "invitations-resent": Body<"/v1/sessions/:id/invitations/resend", "$post">;
  exported: { filename: string };
  erased: { erasure: Body<"/v1/privacy/erase", "$post"> };
  /** A removal, a cancellation or an erasure taken back before it was sent. */
  undone: { action: "remove" | "cancel" | "erase"; id: string };
  /** The participant picker of the invite modal: who was chosen. */
  picked: Picked;
}

type RollcallEventMap = { [K in keyof RollcallEvents as `rollcall-${K}`]: CustomEvent<RollcallEvents[K]> };

declare global {
  // So that addEventListener("rollcall-registered", e => e.detail.registration) is typed.
  interface HTMLElementEventMap extends RollcallEventMap {}
}

export function define(name: string, element: CustomElementConstructor) {
  if (!customElements.get(name)) customElements.define(name, element);
}
