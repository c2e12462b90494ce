// The life of an invitation as plain rules: every move from every status, what a reader sees at a
// given moment, who holds a seat, when a sent invitation expires, how an address is masked and a link built.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_EXPIRY_DAYS,
  effectiveStatus,
  expiryOnSend,
  fixedExpiryProblem,
  holdsSeat,
  type InvitationAction,
  type InvitationStatus,
  initialStatus,
  invitationLink,
  isExpired,
  maskEmail,
  transition,
} from "../../worker/invitations/lifecycle";

const statuses: InvitationStatus[] = ["draft", "scheduled", "sent", "accepted", "declined", "expired", "cancelled"];
const actions: InvitationAction[] = ["send", "resend", "cancel", "accept", "decline", "expire", "reopen"];
const DAY = 24 * 3_600_000;
const now = new Date("2026-05-01T12:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms).toISOString();

/** The whole table, written out: every (status, action) pair not listed here is refused. */
const allowed: Record<string, InvitationStatus> = {
  "draft send": "sent",
  "scheduled send": "sent",
  "sent resend": "sent",
  "draft cancel": "cancelled",
  "scheduled cancel": "cancelled",
  "sent cancel": "cancelled",
  "sent accept": "accepted",
  "sent decline": "declined",
  "declined reopen": "sent",
  "declined cancel": "cancelled",
  "draft expire": "expired",
  "scheduled expire": "expired",
  "sent expire": "expired",
};

describe("transition", () => {
  for (const from of statuses) {
    for (const action of actions) {
      const to = allowed[`${from} ${action}`] ?? null;
      it(`${from} ─${action}→ ${to ?? "refused"}`, () => {
        expect(transition(from, action)).toBe(to);
      });
    }
  }

  it("lets nothing leave a closed status, but a declined one: re-opened by the invited person, or closed for good by the provider", () => {
    for (const closed of ["accepted", "expired", "cancelled"] as const) {
      expect(actions.map((a) => transition(closed, a))).toEqual(actions.map(() => null));
    }
    expect(actions.filter((a) => transition("declined", a) !== null)).toEqual(["cancel", "reopen"]);
  });
});

describe("effectiveStatus and isExpired", () => {
  it("shows a live invitation past its expiry as expired, even before the alarm has run", () => {
    for (const status of ["draft", "scheduled", "sent"] as const) {
      expect(effectiveStatus({ status, expiresAt: later(-1) }, now)).toBe("expired");
      expect(effectiveStatus({ status, expiresAt: later(1) }, now)).toBe(status);
    }
  });

  it("counts the very moment of expiry as expired", () => {
    expect(isExpired({ status: "sent", expiresAt: now.toISOString() }, now)).toBe(true);
    expect(effectiveStatus({ status: "sent", expiresAt: now.toISOString() }, now)).toBe("expired");
  });

  it("never expires an invitation without an expiry (not sent yet)", () => {
    expect(effectiveStatus({ status: "draft", expiresAt: null }, new Date("2100-01-01T00:00:00Z"))).toBe("draft");
    expect(isExpired({ status: "draft", expiresAt: null }, now)).toBe(false);
  });

  it("leaves closed invitations as they closed, whatever the clock says", () => {
    for (const status of ["accepted", "declined", "cancelled", "expired"] as const) {
      expect(effectiveStatus({ status, expiresAt: later(-DAY) }, now)).toBe(status);
    }
  });
});

describe("holdsSeat", () => {
  it("holds a seat while live and holding", () => {
    for (const status of ["draft", "scheduled", "sent"] as const) {
      expect(holdsSeat({ status, expiresAt: later(DAY), holdSeat: true }, now)).toBe(true);
      expect(holdsSeat({ status, expiresAt: null, holdSeat: true }, now)).toBe(true);
    }
  });

  it("holds nothing for a plain invitation", () => {
    expect(holdsSeat({ status: "sent", expiresAt: later(DAY), holdSeat: false }, now)).toBe(false);
  });

  it("frees the seat at expiry and in every closed status", () => {
    expect(holdsSeat({ status: "sent", expiresAt: later(0), holdSeat: true }, now)).toBe(false);
    for (const status of ["accepted", "declined", "expired", "cancelled"] as const) {
      expect(holdsSeat({ status, expiresAt: later(DAY), holdSeat: true }, now)).toBe(false);
    }
  });
});

describe("expiryOnSend", () => {
  it("keeps an expiry fixed at creation", () => {
    expect(expiryOnSend("2026-06-01T00:00:00.000Z", 3, now)).toBe("2026-06-01T00:00:00.000Z");
  });

  it("counts the days from the moment of sending", () => {
    expect(expiryOnSend(null, 3, now)).toBe(later(3 * DAY));
  });

  it("defaults to 14 days after sending", () => {
    expect(DEFAULT_EXPIRY_DAYS).toBe(14);
    expect(expiryOnSend(null, null, now)).toBe(later(14 * DAY));
  });
});

describe("fixedExpiryProblem", () => {
  it("accepts no fixed expiry, or one after both now and the send", () => {
    expect(fixedExpiryProblem(null, null, now)).toBeNull();
    expect(fixedExpiryProblem(later(DAY), null, now)).toBeNull();
    expect(fixedExpiryProblem(later(3 * DAY), later(2 * DAY), now)).toBeNull();
  });

  it("refuses an expiry that has passed (the email would carry a dead link)", () => {
    expect(fixedExpiryProblem(later(-1), null, now)).toEqual({ code: "not_in_future", message: "must be in the future" });
    expect(fixedExpiryProblem(now.toISOString(), null, now)?.code).toBe("not_in_future");
  });

  it("refuses an expiry at or before the scheduled send (it would never be sent)", () => {
    expect(fixedExpiryProblem(later(DAY), later(2 * DAY), now)).toEqual({ code: "ends_before_start", message: "must be after sendAt" });
    expect(fixedExpiryProblem(later(DAY), later(DAY), now)?.code).toBe("ends_before_start");
  });
});

describe("initialStatus", () => {
  it("keeps `later` as to send, schedules a future sendAt, and sends the rest now", () => {
    expect(initialStatus("later", null, now)).toBe("draft");
    expect(initialStatus("now", null, now)).toBe("sent");
    expect(initialStatus("now", later(DAY), now)).toBe("scheduled");
    expect(initialStatus("now", later(-DAY), now)).toBe("sent");
    expect(initialStatus("now", now.toISOString(), now)).toBe("sent");
  });
});

describe("maskEmail", () => {
  it("keeps the first letter and the domain, hiding the rest of the local part", () => {
    expect(maskEmail("ada@example.org")).toBe("a••@example.org");
    expect(maskEmail("a@example.org")).toBe("a••@example.org");
    expect(maskEmail("alexandrina.victoria@example.org")).toBe("a••••••@example.org");
  });

  it("never gives back the address itself, nor its length", () => {
    for (const address of ["ab@example.org", "ada@example.org", "grace.hopper+navy@example.org"]) {
      const masked = maskEmail(address);
      expect(masked).not.toBe(address);
      expect(masked).not.toContain(address.slice(0, address.indexOf("@")));
    }
    expect(maskEmail("abcdefgh@x.org").length).toBe(maskEmail("abcdefghijklmnop@x.org").length);
  });

  it("masks what is not an address entirely", () => {
    expect(maskEmail("no-at-sign")).toBe("•••");
    expect(maskEmail("@example.org")).toBe("•••");
  });
});

describe("invitationLink", () => {
  const token = "ses_0h4k8m2q9rvt3x7c1a5d.Zm9v-YmFy_YmF6";

  it("fills the org's own page template, at every {token}", () => {
    expect(invitationLink("https://camp.example/join?invite={token}", "https://rollcall.test", token)).toBe(
      `https://camp.example/join?invite=${token}`,
    );
    expect(invitationLink("https://camp.example/{token}#{token}", "https://rollcall.test", token)).toBe(
      `https://camp.example/${token}#${token}`,
    );
  });

  it("encodes the token for a URL", () => {
    expect(invitationLink("https://camp.example/?i={token}", "https://rollcall.test", "a b/c")).toBe("https://camp.example/?i=a%20b%2Fc");
  });

  it("falls back to the hosted page without a template, or with one lacking {token}", () => {
    expect(invitationLink(null, "https://rollcall.test", token)).toBe(`https://rollcall.test/r/${token}`);
    expect(invitationLink("https://camp.example/join", "https://rollcall.test", token)).toBe(`https://rollcall.test/r/${token}`);
  });
});
