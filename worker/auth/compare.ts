// Comparing secrets without leaking, through timing, how much of a guess was right.

import { sha256 } from "../ids/ids";

/** Equal strings, compared in constant time (both are hashed first, so lengths do not leak). */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map(sha256));
  let diff = 0;
  for (let i = 0; i < x!.length; i++) diff |= x![i]! ^ y![i]!;
  return diff === 0;
}
