// Delivery news for invitations goes to the session's ledger (the source of truth), which keeps
// the most telling status with nextDeliveryStatus and projects it to the roster.

import type { Outcome } from "../errors/problem";
import { sessionLedger } from "../sessions/service";
import type { DeliveryStatus } from "./delivery";

export type DeliveryReport = { sessionId: string; invitationId: string; status: DeliveryStatus; at: string };

/** Resolves with how many reports could not reach their ledger (a refusal is not a failure). */
export type DeliveryReporter = (reports: DeliveryReport[]) => Promise<{ unreachable: number }>;

/** Sends each report to its ledger; what cannot land is logged and counted for the caller. */
export function ledgerReporter(env: Env): DeliveryReporter {
  return async (reports) => {
    const results = await Promise.allSettled(
      reports.map((r) => sessionLedger(env, r.sessionId).recordDelivery(r.invitationId, r.status, r.at)),
    );
    let unreachable = 0;
    results.forEach((result, i) => {
      const r = reports[i]!;
      if (result.status === "rejected") {
        unreachable++;
        console.warn(`delivery ${r.status} for ${r.invitationId} not recorded`, result.reason);
        return;
      }
      const outcome = result.value as Outcome<null>; // the RPC wrapper hides the union's narrowing
      if (!outcome.ok) console.warn(`delivery ${r.status} for ${r.invitationId} refused: ${outcome.error.code}`);
    });
    return { unreachable };
  };
}

/** The reports a set of messages gives, for those that concern an invitation. */
export function reportsFor(
  items: { invitationId?: string | null; sessionId?: string | null }[],
  status: DeliveryStatus,
  at: string,
): DeliveryReport[] {
  return items.flatMap((m) => (m.invitationId && m.sessionId ? [{ sessionId: m.sessionId, invitationId: m.invitationId, status, at }] : []));
}
