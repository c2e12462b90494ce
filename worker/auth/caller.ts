// Who is calling. Admin routes act for exactly one organisation, and a widget token may narrow
// that to one session.

export type Caller =
  | { kind: "root" }
  | { kind: "api_key"; orgId: string; keyId: string }
  | { kind: "widget"; orgId: string; sessionId: string | null };

export type OrgCaller = Exclude<Caller, { kind: "root" }>;

export function actorOf(caller: OrgCaller): string {
  return caller.kind === "api_key" ? `key:${caller.keyId}` : `widget:${caller.orgId}`;
}

/** Whether this caller may touch that session (the org check is the ledger's). */
export function reachesSession(caller: OrgCaller, sessionId: string): boolean {
  return caller.kind !== "widget" || caller.sessionId === null || caller.sessionId === sessionId;
}
