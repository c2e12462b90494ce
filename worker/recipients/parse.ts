// Recipients as a person pastes them: separated by commas, semicolons, spaces or new lines, and
// `Name <address>` (or `"Last, First" <address>`) as mail programs copy them. Pure and shared:
// the invite modal runs the very same function, so the browser and the server never disagree.

import { type AddressProblem, addressProblem, emailKey } from "./address";

export const MAX_RECIPIENTS = 200;

/** A person's name from its parts ("Ada Lovelace"), or null when they gave none. */
export const personName = (p: { firstName?: string | null; lastName?: string | null }): string | null =>
  [p.firstName, p.lastName].filter(Boolean).join(" ") || null;

/** One address as parseRecipients reads it: `"Name" <address>` (quotes in a name dropped), or the address alone. */
export const recipientOf = (name: string | null, email: string): string => (name ? `"${name.replace(/"/g, "")}" <${email}>` : email);

export type Recipient = { email: string; name: string | null; position: number };
export type InvalidEntry = { entry: string; position: number; problem: AddressProblem };
export type DuplicateEntry = { email: string; position: number; firstPosition: number };

export type ParsedRecipients = {
  /** Valid and unique (case-insensitively), in the order given. */
  recipients: Recipient[];
  invalid: InvalidEntry[];
  duplicates: DuplicateEntry[];
};

const SEPARATORS = new Set([",", ";", "\n", "\r"]);

/** Splits on separators outside quotes and angle brackets. */
function segments(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let angled = false;
  for (const ch of text) {
    if (ch === '"' && !angled) quoted = !quoted;
    else if (ch === "<" && !quoted) angled = true;
    else if (ch === ">" && !quoted) angled = false;
    if (SEPARATORS.has(ch) && !quoted && !angled) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

type Entry = { raw: string; email: string; name: string | null };

/** The words of a segment: a quoted "…" and an <…> are one word each, whatever they contain. */
const words = (segment: string) => segment.match(/"[^"]*"?|<[^>]*>?|[^\s"<]+/g) ?? [];
const unquote = (word: string) => (word.startsWith('"') ? word.slice(1, word.length > 1 && word.endsWith('"') ? -1 : undefined) : word);

/**
 * One segment into entries. Words gather as a name until an `<address>` closes them into
 * `Name <address>`; an unquoted word with an @ is an address of its own (so
 * `ada@x.org Grace <grace@x.org>` is two people, not one named "ada@x.org Grace"); any other
 * word left without an address is an entry of its own, and an invalid one.
 */
function entries(segment: string): Entry[] {
  const out: Entry[] = [];
  let name: string[] = [];
  const nameWordsAlone = () => {
    for (const word of name) out.push({ raw: word, email: word, name: null });
    name = [];
  };
  for (const word of words(segment)) {
    if (word.startsWith("<")) {
      const text = name.map(unquote).join(" ").trim();
      out.push({ raw: [...name, word].join(" "), email: word.replace(/^<|>$/g, "").trim(), name: text || null });
      name = [];
    } else if (!word.startsWith('"') && word.includes("@")) {
      nameWordsAlone();
      out.push({ raw: word, email: word.replace(/>$/, ""), name: null });
    } else name.push(word);
  }
  nameWordsAlone();
  return out;
}

export function parseRecipients(input: string | readonly string[]): ParsedRecipients {
  const text = typeof input === "string" ? input : input.join("\n");
  const result: ParsedRecipients = { recipients: [], invalid: [], duplicates: [] };
  const seen = new Map<string, number>();
  let position = 0;
  for (const segment of segments(text)) {
    for (const entry of entries(segment)) {
      position++;
      const problem = addressProblem(entry.email);
      if (problem) {
        result.invalid.push({ entry: entry.raw, position, problem });
        continue;
      }
      const key = emailKey(entry.email);
      const first = seen.get(key);
      if (first !== undefined) {
        result.duplicates.push({ email: entry.email, position, firstPosition: first });
        continue;
      }
      seen.set(key, position);
      result.recipients.push({ email: entry.email, name: entry.name, position });
    }
  }
  return result;
}
