// What a caller may do. Admin routes act for exactly one organisation, and a widget token may
// narrow that to one session. (The caller's shape lives with the request context, in http/.)

import type { Caller } from "../http/context";

export type OrgCaller = Exclude<Caller, { kind: "root" }>;

export function actorOf(caller: OrgCaller): string {
  // A widget token's actor names the key or member it came from.
  return caller.kind === "api_key" ? `key:${caller.keyId}` : `widget:${caller.source}`;
}

/** Whether this caller may touch that session (the org check is the ledger's). */
export function reachesSession(caller: OrgCaller, sessionId: string): boolean {
  return caller.kind !== "widget" || caller.sessionId === null || caller.sessionId === sessionId;
}

/** The detail of `token_wrong_session`: the session asked for, and how to get a token for it. */
export const wrongSession = (id: string) =>
  `This widget token was minted for another session than ${id}: mint one with {"sessionId": "${id}"} (POST /v1/widget-tokens).`;
