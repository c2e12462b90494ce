// What every Rollcall element shares: its API base, its language, its offline state, prefixed
// events, and a define() that is harmless when the script is loaded twice.

import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from "lit";
import type { Body, CreatedInvitations, Problem, ProblemCode, PublicSession, Registration } from "../api/client";
import { configured, scriptOrigin } from "../api/origin";
import type { Picked } from "../invite/selection";
import { live, type Timers } from "./live";

export abstract class RollcallElement extends LitElement {
  static override properties: PropertyDeclarations = {
    api: { reflect: true },
    locale: { reflect: true },
    offline: { state: true },
  };

  /** Base URL of the Rollcall API; defaults to configure({ api }), then to the origin this script was loaded from. */
  declare api: string | undefined;
  /** "en" or "fr"; defaults to the page's language. */
  declare locale: string | undefined;

  /** The timers of every element's live channel (tests put a fake clock here). */
  static timers: Timers = globalThis;

  /** The element's words, in its language (each element brings its own). */
  protected abstract readonly t: { readonly ready: boolean; problem(problem: Problem): string; term(key: "offline"): string };
  private liveUrl: string | undefined;
  private stopLive: (() => void) | undefined;
  /**
   * The API cannot be reached: a call failed on the network, or the live channel dropped. The
   * element says so until a call reaches the API or its live channel, which keeps reconnecting (at
   * once when the browser is back online), speaks again: onLive then brings what it shows up to date.
   */
  declare protected offline: boolean;

  protected get base(): string {
    return (this.api || configured.api || scriptOrigin).replace(/\/+$/, "");
  }

  /** The session whose live channel the element follows while connected (none by default). */
  protected get liveId(): string | undefined {
    return undefined;
  }

  /** Each message of the live channel: the session's public state. */
  protected onLive(_session: PublicSession) {}

  override connectedCallback() {
    super.connectedCallback();
    this.follow();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.follow();
  }

  /**
   * The offline state: a polite live region that is always there (so that screen readers hear it
   * change), saying so while the API cannot be reached; empty, it takes no room.
   */
  protected offlineNotice() {
    return html`<div class="muted" part="offline" role="status">${this.offline ? this.t.term("offline") : ""}</div>`;
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
            this.offline = false;
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

/** The `detail` of each event, by name without the `rollcall-` prefix. */
export interface RollcallEvents {
  registered: { registration: Registration };
  declined: Record<string, never>;
  error: { code: ProblemCode; detail: string };
  invited: CreatedInvitations;
  // The roster's actions, each once the API has done it.
  removed: { registration: Body<"/v1/registrations/:id/cancel", "$post"> };
  "invitation-sent": { invitation: Body<"/v1/invitations/:id/send", "$post"> };
  /** The words of an invitation's email, changed and saved (not sent). */
  "invitation-edited": { invitation: Body<"/v1/invitations/:id", "$patch"> };
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
  // No registry (a server rendering without Lit's shim): nothing to define.
  if (globalThis.customElements && !customElements.get(name)) customElements.define(name, element);
}

/**
 * The `aria-level` of a heading `depth` levels below an element's title (0: the title, an h2;
 * 1: an h3 under it) when its heading-level attribute puts the title at `level` (1 to 6; anything
 * else is 2): nothing when the tag already says it. For <rollcall-join>, <rollcall-sessions> and
 * <rollcall-roster>.
 */
export function headingAt(level: number | undefined, depth = 0): number | typeof nothing {
  return level! > 0 && level! < 7 && level !== 2 && level! % 1 === 0 ? Math.min(level! + depth, 6) : nothing;
}
