// Comparing secrets without leaking, through timing, how much of a guess was right.

import { sha256 } from "../ids/ids";

/** Equal strings, compared in constant time (both are hashed first, so lengths do not leak). */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map(sha256));
  let diff = 0;
  for (let i = 0; i < x!.length; i++) diff |= x![i]! ^ y![i]!;
  return diff === 0;
}

const encoder = new TextEncoder();

/**
 * Equal strings, compared synchronously (inside a ledger transaction, where no await may happen)
 * in a time that depends on neither their contents nor, up to `maxBytes` of UTF-8, their lengths:
 * every byte position up to `maxBytes` is visited whatever differs. Longer strings are unequal.
 */
export function equalInConstantTime(a: string, b: string, maxBytes = 256): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = (x.length ^ y.length) | (x.length > maxBytes ? 1 : 0);
  for (let i = 0; i < maxBytes; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
