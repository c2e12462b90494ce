// Counted words by each language's own plural rules (Intl.PluralRules): English says "1 invitation"
// and "0 invitations", French "0 invitation", "1 invitation" and "2 invitations". The hosted
// admin's words and the provider's elements' use it (in the widget, a chunk they share, out of the
// public page's download).

import type { Locale } from "./locales";

const rules = new Map<Locale, Intl.PluralRules>();

/** The sentence for `n` in a language: `one` where its rules say so, `other` elsewhere. */
export function plural(language: Locale, n: number, one: string, other: string): string {
  let rule = rules.get(language);
  if (!rule) {
    rule = new Intl.PluralRules(language);
    rules.set(language, rule);
  }
  return rule.select(n) === "one" ? one : other;
}
