// Whether a paste of addresses may go ahead, for every path that takes one (invitations, new
// contacts): the parse itself is in parse.ts, shared with the browser.

import { fail, type Outcome, ok } from "../errors/problem";
import { MAX_RECIPIENTS, type ParsedRecipients, parseRecipients } from "./parse";

/**
 * What a provider pasted or listed, as recipients: any invalid address refuses the whole batch
 * (every one named with its position), as do none at all and more than 200 after duplicates go.
 */
export function decideRecipients(input: string | readonly string[]): Outcome<ParsedRecipients> {
  const parsed = parseRecipients(input);
  if (parsed.invalid.length) {
    return fail(
      "invalid_emails",
      `${parsed.invalid.length} of the addresses are not valid; nothing was created.`,
      undefined,
      parsed.invalid,
    );
  }
  if (parsed.recipients.length === 0) {
    return fail("validation_failed", "Add at least one address.", undefined, [{ path: "recipients", message: "no address given" }]);
  }
  if (parsed.recipients.length > MAX_RECIPIENTS) {
    return fail("too_many_recipients", `At most ${MAX_RECIPIENTS} addresses at once; ${parsed.recipients.length} were given.`, {
      max: MAX_RECIPIENTS,
      count: parsed.recipients.length,
    });
  }
  return ok(parsed);
}
