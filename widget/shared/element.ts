// What every Rollcall element shares: its API base, its language, prefixed events, and a
// define() that is harmless when the script is loaded twice.

import { LitElement, type PropertyDeclarations } from "lit";
import { type CreatedInvitations, type Problem, type PublicSession, type Registered, scriptOrigin } from "../api/client";
import { LocalizeController } from "../i18n/localize";

export abstract class RollcallElement extends LitElement {
  static override properties: PropertyDeclarations = {
    api: { reflect: true },
    locale: { reflect: true },
  };

  /** Base URL of the Rollcall API; defaults to the origin this script was loaded from. */
  declare api: string | undefined;
  /** "en" or "fr"; defaults to the page's language. */
  declare locale: string | undefined;

  protected readonly t = new LocalizeController(this);
  private liveUrl: string | undefined;
  private stopLive: (() => void) | undefined;

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
    this.follow();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.follow();
  }

  protected override updated() {
    this.follow();
  }

  /** Opens, moves or closes the live channel to match liveId, the API base and being connected. */
  private follow() {
    const id = this.isConnected && this.liveId;
    const url = id ? `${this.base.replace(/^http/, "ws")}/v1/public/sessions/${encodeURIComponent(id)}/live` : undefined;
    if (url == this.liveUrl) return;
    this.stopLive?.();
    this.liveUrl = url;
    this.stopLive = url ? live(url, (s) => this.onLive(s)) : undefined;
  }

  /** Dispatches `rollcall-<name>`: bubbling, composed (crosses shadow roots), typed detail. */
  protected emit<K extends keyof RollcallEvents>(name: K, detail: RollcallEvents[K]) {
    this.dispatchEvent(new CustomEvent(`rollcall-${name}`, { bubbles: true, composed: true, detail }));
  }

  /** The sentence for a problem, in the element's language, and the `rollcall-error` event. */
  protected fail(problem: Problem): string {
    this.emit("error", { code: problem.code, detail: problem.detail });
    return this.t.maybe(`err_${problem.code}`) ?? problem.detail ?? this.t.term("error");
  }
}

/** The `detail` of each event, by name without the `rollcall-` prefix. */
export interface RollcallEvents {
  registered: { registration: Registered["registration"] };
  declined: Record<string, never>;
  error: { code: string; detail: string };
  invited: CreatedInvitations;
}

type RollcallEventMap = { [K in keyof RollcallEvents as `rollcall-${K}`]: CustomEvent<RollcallEvents[K]> };

declare global {
  // So that addEventListener("rollcall-registered", e => e.detail.registration) is typed.
  interface HTMLElementEventMap extends RollcallEventMap {}
}

export function define(name: string, element: CustomElementConstructor) {
  if (!customElements.get(name)) customElements.define(name, element);
}

/** A fresh idempotency key (crypto.randomUUID needs a secure context; fall back otherwise). */
export const newKey = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Follows a session's live channel: `onSession` gets its public state at once and after every
 * change. A dropped socket is opened again after 1, 2, 4… (at most 60) seconds, and at once when
 * the page comes back into view; a hidden page does not reconnect. Returns the function that stops it.
 */
export function live(url: string, onSession: (session: PublicSession) => void): () => void {
  let ws: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 500;
  const open = () => {
    clearTimeout(timer);
    if (ws || document.hidden) return;
    const socket = (ws = new WebSocket(url));
    socket.onmessage = (e) => {
      delay = 500;
      const m = JSON.parse(e.data);
      if (m.type == "session") onSession(m.session);
    };
    socket.onclose = () => {
      if (ws != socket) return;
      ws = undefined;
      timer = setTimeout(open, Math.min((delay *= 2), 6e4));
    };
  };
  document.addEventListener("visibilitychange", open);
  open();
  return () => {
    document.removeEventListener("visibilitychange", open);
    clearTimeout(timer);
    const socket = ws;
    ws = undefined;
    socket?.close();
  };
}
