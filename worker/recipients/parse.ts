// Recipients as a person pastes them: separated by commas, semicolons, spaces or new lines, and
// `Name <address>` (or `"Last, First" <address>`) as mail programs copy them. Pure and shared:
// the invite modal runs the very same function, so the browser and the server never disagree.

import { addressProblem, emailKey, type AddressProblem } from "./address";

export const MAX_RECIPIENTS = 200;

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

/** One segment into entries: `Name <address>` stays whole, anything else splits on white space. */
function entries(segment: string): { raw: string; email: string; name: string | null }[] {
  const named = /^\s*(?:"([^"]*)"|([^<"]*?))\s*<([^<>]*)>\s*$/.exec(segment);
  if (named) {
    const name = (named[1] ?? named[2] ?? "").trim();
    return [{ raw: segment.trim(), email: named[3]!.trim(), name: name || null }];
  }
  return segment
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => ({ raw: word, email: word.replace(/^<|>$/g, ""), name: null }));
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
