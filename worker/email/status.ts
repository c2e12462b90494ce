// Delivery news for invitations goes to the session's ledger (the source of truth), which keeps
// the most telling status with nextDeliveryStatus and projects it to the roster. Reports are
// grouped by session first: one ledger call per session and batch, not one per invitation.

import type { Outcome } from "../errors/problem";
import { sessionLedger } from "../sessions/ledger-client";
import type { DeliveryStatus, DeliveryUpdate } from "./delivery";

export type DeliveryReport = { sessionId: string; invitationId: string; status: DeliveryStatus; at: string };

/** Resolves with how many reports could not reach their ledger (a refusal is not a failure). */
export type DeliveryReporter = (reports: DeliveryReport[]) => Promise<{ unreachable: number }>;

/** Sends each session's reports to its ledger in one call; what cannot land is logged and counted. */
export function ledgerReporter(env: Env): DeliveryReporter {
  return async (reports) => {
    const groups = [...reportsBySession(reports)];
    const results = await Promise.allSettled(groups.map(([sessionId, updates]) => sessionLedger(env, sessionId).recordDeliveries(updates)));
    let unreachable = 0;
    results.forEach((result, i) => {
      const [sessionId, updates] = groups[i]!;
      if (result.status === "rejected") {
        unreachable += updates.length;
        console.warn(`${updates.length} delivery reports for session ${sessionId} not recorded`, result.reason);
        return;
      }
      const outcome = result.value as Outcome<{ updated: number; unknown: string[] }>; // the RPC wrapper hides the union's narrowing
      if (!outcome.ok) console.warn(`delivery reports for session ${sessionId} refused: ${outcome.error.code}`);
      else if (outcome.value.unknown.length)
        console.warn(`delivery reports for unknown invitations of ${sessionId}: ${outcome.value.unknown.join(", ")}`);
    });
    return { unreachable };
  };
}

/** Reports grouped by session, in the order they came, as the ledger takes them. */
export function reportsBySession(reports: DeliveryReport[]): Map<string, DeliveryUpdate[]> {
  const groups = new Map<string, DeliveryUpdate[]>();
  for (const { sessionId, invitationId, status, at } of reports) {
    let group = groups.get(sessionId);
    if (!group) {
      group = [];
      groups.set(sessionId, group);
    }
    group.push({ invitationId, status, at });
  }
  return groups;
}

/** The reports a set of messages gives, for those that concern an invitation. */
export function reportsFor(
  items: { invitationId?: string | null; sessionId?: string | null }[],
  status: DeliveryStatus,
  at: string,
): DeliveryReport[] {
  return items.flatMap((m) =>
    m.invitationId && m.sessionId ? [{ sessionId: m.sessionId, invitationId: m.invitationId, status, at }] : [],
  );
}
