// What a checkout that could not be created leaves behind (payments/decide.ts): the seat kept for
// a retry only when the same request can be replayed and the failure was a moment's; otherwise
// freed, unless the caller lets the hold lapse on its own; and which code the caller is told.
import { describe, expect, it } from "vitest";
import { decideCheckoutFailure } from "../../worker/payments/decide";

const HOLD = "2031-06-02T08:31:00.000Z";
const replayable = { retriable: true, keepSeat: false };
const once = { retriable: false, keepSeat: false };
const payLink = { retriable: false, keepSeat: true };

describe("decideCheckoutFailure", () => {
  it("keeps the seat for the same request with the same Idempotency-Key after a moment's failure (5xx, 429, no answer)", () => {
    for (const statusCode of [500, 503, 429, undefined])
      expect(decideCheckoutFailure({ statusCode }, replayable, HOLD)).toEqual({
        release: false,
        code: "checkout_failed",
        heldUntil: HOLD,
        retryWithKey: true,
      });
  });

  it("frees the seat when the provider refused the checkout itself (4xx), or the failure was not the provider's", () => {
    for (const failure of [{ statusCode: 400 }, { statusCode: 402 }, null])
      expect(decideCheckoutFailure(failure, replayable, HOLD)).toEqual({
        release: true,
        code: "payments_unavailable",
        heldUntil: null,
        retryWithKey: false,
      });
  });

  it("frees the seat of a request nothing can replay, saying to try again after a moment's failure", () => {
    expect(decideCheckoutFailure({ statusCode: 503 }, once, HOLD)).toEqual({
      release: true,
      code: "checkout_failed",
      heldUntil: null,
      retryWithKey: false,
    });
  });

  it("promises no held seat to a replayable request whose registration holds none any more", () => {
    expect(decideCheckoutFailure({ statusCode: 503 }, replayable, null)).toMatchObject({ release: true, retryWithKey: false });
  });

  it("leaves a pay link's seat to lapse on its own, saying until when after a moment's failure", () => {
    expect(decideCheckoutFailure({ statusCode: 503 }, payLink, HOLD)).toEqual({
      release: false,
      code: "checkout_failed",
      heldUntil: HOLD,
      retryWithKey: false,
    });
    expect(decideCheckoutFailure({ statusCode: 400 }, payLink, HOLD)).toEqual({
      release: false,
      code: "payments_unavailable",
      heldUntil: null,
      retryWithKey: false,
    });
  });
});
