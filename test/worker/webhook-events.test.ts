// Which event a registration's change announces: a pure rule, read by the ledger's store on every write.
import { describe, expect, it } from "vitest";
import { registrationEventType } from "../../worker/webhooks/events";

describe("registrationEventType", () => {
  it("announces a new registration, a cancellation, a promotion and a payment, and nothing for the rest", () => {
    expect(registrationEventType(undefined, { status: "pending_payment" })).toBe("registration.created");
    expect(registrationEventType({ status: "confirmed" }, { status: "cancelled" })).toBe("registration.cancelled");
    expect(registrationEventType({ status: "pending_payment" }, { status: "cancelled" })).toBe("registration.cancelled");
    expect(registrationEventType({ status: "waitlisted" }, { status: "confirmed" })).toBe("registration.promoted");
    expect(registrationEventType({ status: "pending_payment" }, { status: "confirmed" })).toBe("payment.succeeded");
    expect(registrationEventType({ status: "pending_confirmation" }, { status: "confirmed" })).toBeNull();
    expect(registrationEventType({ status: "confirmed" }, { status: "confirmed" })).toBeNull();
  });
});
