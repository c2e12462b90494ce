// What every route handler sees: the bindings, the clock that says what time it is, and who is
// calling once auth has run. The caller's shape is declared here, where the context is, so that
// auth (which resolves it) and every route (which reads it) depend on this folder, not on each other.

import type { Clock } from "../time/clock";

/** Who is calling. Admin routes act for exactly one organisation; a widget token may narrow that to one session. */
export type Caller =
  | { kind: "root" }
  | { kind: "api_key"; orgId: string; keyId: string }
  | { kind: "widget"; orgId: string; sessionId: string | null };

export type AppEnv = {
  Bindings: Env;
  Variables: { caller: Caller; clock: Clock };
};
