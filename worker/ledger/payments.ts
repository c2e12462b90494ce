// A checkout's outcome inside one ledger transaction: load → decide (payments/decide.ts) → apply.
// Synchronous, like everything a transaction runs.

import { type Outcome, ok } from "../errors/problem";
import type { DerivedToken } from "../ids/ids";
import { type CheckoutOutcome, type CheckoutView, decideSettlement, type Settlement } from "../payments/decide";
import type { RegistrationView } from "../registrations/schemas";
import { seatsOf } from "../sessions/seats";
import { closeInvitation, promoteWaitlist } from "./moves";
import type { LedgerStore } from "./store";
import type { RegistrationRecord, SessionRecord } from "./views";

export type Settled = { registration: RegistrationView; settlement: Settlement["kind"] };

export function checkoutViewOf(s: SessionRecord, r: RegistrationRecord): CheckoutView {
  return {
    sessionId: s.id,
    orgId: s.orgId,
    sessionTitle: s.title,
    amount: r.amountDue ?? 0,
    currency: r.currency ?? "",
    status: r.status,
    holdUntil: r.status === "pending_payment" ? r.confirmExpiresAt : null,
    paid: r.paidAt !== null,
  };
}

export function settle(
  store: LedgerStore,
  s: SessionRecord,
  r: RegistrationRecord,
  outcome: CheckoutOutcome,
  manage: DerivedToken,
  now: Date,
): Outcome<Settled> {
  const seats = seatsOf(s, store.counts());
  const settlement = decideSettlement(r, outcome, seats.available, s.status === "cancelled");
  let row = r;
  switch (settlement.kind) {
    case "confirm": {
      row = store.updateRegistration(r, {
        ...r,
        status: "confirmed",
        paidAt: now.toISOString(),
        confirmExpiresAt: null,
        cancelledAt: null,
        cancelledBy: null,
      });
      store.mail("registration_confirmed", row, { manageToken: manage.token, answers: store.answerLines(row) });
      // As for any seat taken: an invitation of theirs is answered by it.
      const invitation = store.pendingInvitation(row.email, now);
      if (invitation) closeInvitation(store, invitation, "accepted", now, row.id);
      break;
    }
    case "release":
      row = store.updateRegistration(r, { ...r, status: "cancelled", cancelledAt: now.toISOString(), cancelledBy: "system" });
      promoteWaitlist(store, now);
      break;
    case "refund_due":
      // Recorded once; the refund itself is for whoever holds the payment to make.
      if (r.refundDueAt === null) row = store.updateRegistration(r, { ...r, paidAt: now.toISOString(), refundDueAt: now.toISOString() });
      break;
    case "none":
      break;
  }
  return ok({ registration: store.registrationView(row), settlement: settlement.kind });
}
