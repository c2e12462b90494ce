// The language of an element: its `locale` attribute, else the nearest `lang` (up to the page's
// <html lang>), English by default. Re-renders when the page's language changes. Each element
// brings its own words, English in its chunk and French as a chunk of its own, loaded the first
// time an element speaks it: an English page pays for no French, and the other way round almost.

import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Locale } from "../../worker/i18n/locales";
import { firstOfMonth } from "../../worker/time/date-words";
import type { Problem } from "../api/client";
import type { en } from "./en";

type Term = string | ((...args: never[]) => string);
/** An element's words: the shared ones (en.ts) and its own. */
export type Terms = typeof en & Record<string, Term>;
type Key<T> = { [K in keyof T & string]: T[K] extends Term ? K : never }[keyof T & string];
type Args<T> = T extends (...args: infer A) => string ? A : [];

/** English at hand; another language at hand or as the import of its chunk. */
export type Words<T extends Terms> = { en: T } & Record<Exclude<Locale, "en">, T | (() => Promise<T>)>;

const hosts = new Set<ReactiveControllerHost>();
/** The problems' chunk (their sentences, and the check of the page's CSP), once fetched. */
export let problems: typeof import("./problems") | undefined;
let problemsLoading: Promise<void> | undefined;

/** Fetches the problem messages (their own chunk) once; every failed call waits for it before it settles. */
export function loadProblemMessages(): Promise<void> {
  problemsLoading ??= import("./problems").then(
    (m) => {
      problems = m;
    },
    () => {
      // Unreachable: the API's own detail is shown instead, and the next failure tries again.
      problemsLoading = undefined;
    },
  );
  return problemsLoading;
}
const loading = new WeakSet<object>();
let observer: MutationObserver | undefined;

export class LocalizeController<T extends Terms> implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly words: Words<T>,
  ) {
    host.addController(this);
  }

  hostConnected() {
    hosts.add(this.host);
    observer ??= new MutationObserver(() => {
      for (const h of hosts) h.requestUpdate();
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  }

  hostDisconnected() {
    hosts.delete(this.host);
  }

  /** A BCP 47 tag for Intl formatting, e.g. "fr-CA"; its language picks the words. */
  get lang(): string {
    const el = this.host;
    return el.getAttribute("locale") || el.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || "en";
  }

  /** The language actually used. */
  get language(): Locale {
    return this.lang.toLowerCase().startsWith("fr") ? "fr" : "en";
  }

  /** Whether the words of the element's language are here; if not, loads them and renders every element again. */
  get ready(): boolean {
    const words: Record<Locale, T | (() => Promise<T>)> = this.words;
    const language = this.language;
    const entry = words[language];
    if (typeof entry !== "function") return true;
    if (!loading.has(entry)) {
      loading.add(entry);
      // A chunk that cannot be fetched leaves the element in English rather than blank.
      void entry()
        .catch(() => this.words.en)
        .then((loaded) => {
          words[language] = loaded;
          for (const h of hosts) h.requestUpdate();
        });
    }
    return false;
  }

  private get current(): T {
    const entry = this.words[this.language];
    return typeof entry === "function" ? this.words.en : entry;
  }

  term<K extends Key<T>>(key: K, ...args: Args<T[K]>): string {
    const entry = this.current[key] as string | ((...a: unknown[]) => string);
    return typeof entry === "function" ? entry(...args) : entry;
  }

  /** The sentence for a problem (problems.ts); the API's own detail for a code newer than this script. */
  problem(problem: Pick<Problem, "code"> & Partial<Problem>): string {
    return problems?.sentence(this.language, problem) ?? problem.detail ?? this.current.error;
  }

  date(iso: string | number | Date, options: Intl.DateTimeFormatOptions): string {
    return firstOfMonth(new Intl.DateTimeFormat(this.lang, options).format(new Date(iso)), this.lang);
  }

  /** From one instant to another, as one phrase ("Monday, June 1, 9:00 – 12:00 PM EDT"). */
  span(start: string, end: string, options: Intl.DateTimeFormatOptions): string {
    return firstOfMonth(new Intl.DateTimeFormat(this.lang, options).formatRange(new Date(start), new Date(end)), this.lang);
  }
}
