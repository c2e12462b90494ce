// The language of an element: its `locale` attribute, else the nearest `lang` (up to the page's
// <html lang>), English by default. Re-renders when the page's language changes.

import type { ReactiveController, ReactiveControllerHost } from "lit";
import { en, type Translation } from "./en";
import { fr } from "./fr";

const translations: Record<string, Translation> = { en, fr };

type Key = keyof Translation;
type Args<K extends Key> = Translation[K] extends (...args: infer A) => string ? A : [];

const hosts = new Set<ReactiveControllerHost>();
let observer: MutationObserver | undefined;

export class LocalizeController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected() {
    hosts.add(this.host);
    observer ??= new MutationObserver(() => hosts.forEach((h) => h.requestUpdate()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  }

  hostDisconnected() {
    hosts.delete(this.host);
  }

  /** A BCP 47 tag for Intl formatting, e.g. "fr-CA"; its language picks the translation. */
  get lang(): string {
    const el = this.host;
    return el.getAttribute("locale") || el.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || "en";
  }

  /** The two-letter language actually used ("en" or "fr"). */
  get language(): "en" | "fr" {
    return this.lang.toLowerCase().startsWith("fr") ? "fr" : "en";
  }

  term<K extends Key>(key: K, ...args: Args<K>): string {
    const entry = (translations[this.language] ?? en)[key] as string | ((...a: unknown[]) => string);
    return typeof entry === "function" ? entry(...args) : entry;
  }

  /** A term whose key is built at run time (an API code, a status): undefined when unknown. */
  maybe(key: string): string | undefined {
    const entry = (translations[this.language] ?? en)[key as Key];
    return typeof entry === "string" ? entry : undefined;
  }

  date(iso: string | number | Date, options: Intl.DateTimeFormatOptions): string {
    return new Intl.DateTimeFormat(this.lang, options).format(new Date(iso));
  }
}
