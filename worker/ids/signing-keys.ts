// The signing keys: ROLLCALL_SIGNING_SECRET signs everything new; the secrets it replaced
// (ROLLCALL_SIGNING_SECRET_PREVIOUS, newest first, separated by spaces or commas) still verify what
// they signed and derive again the links they made, so rotating the secret breaks no link already
// emailed and no token already handed out. Each key is named by an id computed from its secret (no
// numbering to keep in step): widget tokens and link salts carry the id of the key that made them.

import { previousSecrets } from "../config/secrets";
import { base64url, sha256 } from "./ids";

export type SigningKey = { id: string; secret: string };

/** The current key first, then the previous ones. */
export type SigningKeys = { current: SigningKey; all: readonly SigningKey[] };

type SigningEnv = { ROLLCALL_SIGNING_SECRET: string; ROLLCALL_SIGNING_SECRET_PREVIOUS?: string };

/** A key id: 8 base64url characters of the SHA-256 of the secret under its own label. */
const keyId = async (secret: string) => base64url((await sha256(`rollcall-key-id:${secret}`)).subarray(0, 6));

const rings = new Map<string, Promise<SigningKeys>>();

/** The worker's signing keys (computed once per isolate and configuration). */
export function signingKeys(env: SigningEnv): Promise<SigningKeys> {
  const current = env.ROLLCALL_SIGNING_SECRET;
  const previous = previousSecrets(env.ROLLCALL_SIGNING_SECRET_PREVIOUS).filter((s) => s !== current);
  const secrets = [current, ...new Set(previous)];
  const cacheKey = JSON.stringify(secrets);
  let ring = rings.get(cacheKey);
  if (!ring) {
    ring = Promise.all(secrets.map(async (secret) => ({ id: await keyId(secret), secret }))).then((all) => ({ current: all[0]!, all }));
    rings.set(cacheKey, ring);
  }
  return ring;
}

/** The key an id names, if it is still one of ours. */
export const keyById = (keys: SigningKeys, id: string): SigningKey | undefined => keys.all.find((k) => k.id === id);
