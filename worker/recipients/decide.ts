// Whether a paste of addresses may go ahead, for every path that takes one (invitations, new
// contacts): the parse itself is in parse.ts, shared with the browser.

import { fieldError } from "../errors/fields";
import { fail, type Outcome, ok } from "../errors/problem";
import { emailKey } from "./address";
import { MAX_RECIPIENTS, type ParsedRecipients, parseRecipients } from "./parse";

/**
 * A person chosen from the directory (a valid address of one of the org's contacts); `at` is
 * their place among the chosen, counted after the paste's positions.
 */
export type ChosenPerson = { email: string; name: string | null; at: number };

/**
 * What a provider pasted or listed, as recipients, then the people chosen from the directory
 * (their positions follow the paste's): any invalid address refuses the whole batch (every one
 * named with its position), as do more than 200 after duplicates go, and no one at all. `chosen`
 * is undefined when the directory was not asked; an empty list means everyone chosen was skipped
 * (no address, deactivated), which is an answer to give, not a request to refuse.
 */
export function decideRecipients(input: string | readonly string[], chosen?: readonly ChosenPerson[]): Outcome<ParsedRecipients> {
  const parsed = mergeChosen(parseRecipients(input), chosen ?? []);
  if (parsed.invalid.length) {
    return fail(
      "invalid_emails",
      `${parsed.invalid.length} of the addresses are not valid; nothing was created.`,
      undefined,
      parsed.invalid,
    );
  }
  if (parsed.recipients.length === 0 && !chosen) {
    return fail("validation_failed", "Add at least one address.", undefined, [fieldError("recipients", "required", "no address given")]);
  }
  if (parsed.recipients.length > MAX_RECIPIENTS) {
    return fail("too_many_recipients", `At most ${MAX_RECIPIENTS} addresses at once; ${parsed.recipients.length} were given.`, {
      max: MAX_RECIPIENTS,
      count: parsed.recipients.length,
    });
  }
  return ok(parsed);
}

/**
 * The directory's people after the paste, deduplicated by address case-insensitively: a pasted
 * address without a name takes the contact's.
 */
function mergeChosen(parsed: ParsedRecipients, chosen: readonly ChosenPerson[]): ParsedRecipients {
  if (!chosen.length) return parsed;
  const kept = new Map(parsed.recipients.map((r) => [emailKey(r.email), r]));
  const pasted = pastedCount(parsed);
  for (const person of chosen) {
    const position = pasted + person.at;
    const key = emailKey(person.email);
    const first = kept.get(key);
    if (first) {
      first.name ??= person.name;
      parsed.duplicates.push({ email: person.email, position, firstPosition: first.position });
      continue;
    }
    const recipient = { email: person.email, name: person.name, position };
    kept.set(key, recipient);
    parsed.recipients.push(recipient);
  }
  return parsed;
}

/** How many entries a paste had (valid, invalid and repeated): the chosen people's positions follow. */
export const pastedCount = (parsed: ParsedRecipients) => parsed.recipients.length + parsed.invalid.length + parsed.duplicates.length;
