// Endpoint signing secrets: `whsec_` and the base64 of 32 random bytes (the Standard Webhooks
// format), shown once when made. They must be readable to sign, so they are kept sealed with
// AES-GCM under a key derived (HKDF) from ROLLCALL_SIGNING_SECRET; the secrets that one replaced
// (ROLLCALL_SIGNING_SECRET_PREVIOUS) still open what they sealed. Without the signing secret
// nothing opens and nothing is signed: the worker refuses to serve at all (config/secrets.ts).

import { base64, fromBase64 } from "../ids/ids";

type SealingEnv = { ROLLCALL_SIGNING_SECRET: string; ROLLCALL_SIGNING_SECRET_PREVIOUS?: string };

const INFO = new TextEncoder().encode("rollcall webhook endpoint secrets v1");

export function newEndpointSecret(): string {
  return `whsec_${base64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

async function keyFrom(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function sealingSecrets(env: SealingEnv): string[] {
  if (!env.ROLLCALL_SIGNING_SECRET) throw new Error("ROLLCALL_SIGNING_SECRET is not set: endpoint secrets cannot be sealed or opened");
  const previous = (env.ROLLCALL_SIGNING_SECRET_PREVIOUS ?? "").split(/[\s,]+/).filter(Boolean);
  return [env.ROLLCALL_SIGNING_SECRET, ...previous];
}

/** `v1.` and the base64 of a random 12-byte IV followed by the ciphertext. */
export async function sealSecret(env: SealingEnv, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await keyFrom(sealingSecrets(env)[0]!);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(secret)));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return `v1.${base64(out)}`;
}

export async function openSecret(env: SealingEnv, sealed: string): Promise<string> {
  if (!sealed.startsWith("v1.")) throw new Error("unknown sealed secret format");
  const bytes = fromBase64(sealed.slice(3));
  for (const secret of sealingSecrets(env)) {
    try {
      const key = await keyFrom(secret);
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, key, bytes.slice(12));
      return new TextDecoder().decode(plain);
    } catch {
      // sealed under another signing secret: try the next one
    }
  }
  throw new Error("an endpoint secret could not be opened with any signing secret");
}
