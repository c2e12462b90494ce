// The STOP list holds no number: each opt-out is kept as a hash of the E.164 number, looked up by
// hashing the number about to be texted. A person's erasure and the retention purge leave the list
// alone (it names nobody), so a person who said STOP and was then erased is still never texted;
// START (from the number itself) removes the entry.
//
// The hash is not keyed: a key that could be rotated or lost would silently put every number that
// said STOP back on the texting list, the one failure this list exists to prevent. A plain hash of
// a phone number is pseudonymous, not anonymous (the space of numbers can be walked), which is why
// the list keeps nothing else: no name, no org, no contact.

import { sha256Hex } from "../ids/ids";

export async function optOutKey(e164: string): Promise<string> {
  return sha256Hex(`rollcall:sms-opt-out:${e164}`);
}
