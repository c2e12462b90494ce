// Idempotency-Key for public registrations: how long an answer is remembered, and the one form of
// a request body that is hashed to tell "the same request again" from "another request, same key".

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Idempotency records created at or before this instant are forgotten. */
export function idempotencyCutoff(now: Date): string {
  return new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
}

/** JSON with sorted keys, so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
