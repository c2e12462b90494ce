// What every Rollcall element shares: its API base, its language, prefixed events, and a
// define() that is harmless when the script is loaded twice.

import { LitElement, type PropertyDeclarations } from "lit";
import { LocalizeController } from "../i18n/localize";
import { scriptOrigin, type CreatedInvitations, type Problem, type Registered } from "../api/client";

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

  protected get base(): string {
    return (this.api || scriptOrigin).replace(/\/+$/, "");
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
 * Calls `tick` every `ms` while the page is visible, and at once when it becomes visible again.
 * Returns the function that stops it.
 */
export function whileVisible(ms: number, tick: () => void): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const arm = () => {
    clearInterval(timer);
    timer = document.visibilityState === "visible" ? setInterval(tick, ms) : undefined;
  };
  const onVisibility = () => {
    if (document.visibilityState === "visible") tick();
    arm();
  };
  document.addEventListener("visibilitychange", onVisibility);
  arm();
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  };
}
