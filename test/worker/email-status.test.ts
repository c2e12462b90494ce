// The precedence of delivery statuses: reports arrive late and out of order, the answer must not.
import { describe, expect, it } from "vitest";
import { DELIVERY_STATUSES, type DeliveryStatus, deliveryChanges, nextDeliveryStatus } from "../../worker/email/delivery";
import { classify, retryAfterSeconds } from "../../worker/email/resend-mailer";

describe("nextDeliveryStatus", () => {
  it("takes the first report as it is", () => {
    for (const s of DELIVERY_STATUSES) expect(nextDeliveryStatus(null, s)).toBe(s);
  });

  it.each<[DeliveryStatus, DeliveryStatus, DeliveryStatus]>([
    ["queued", "sent", "sent"],
    ["sent", "delivered", "delivered"],
    ["delivered", "sent", "delivered"],
    ["delayed", "delivered", "delivered"],
    ["delivered", "delayed", "delivered"],
    ["bounced", "delivered", "bounced"],
    ["delivered", "bounced", "bounced"],
    ["delivered", "complained", "complained"],
    ["complained", "bounced", "complained"],
    ["failed", "bounced", "bounced"],
    ["failed", "delivered", "failed"],
    ["sent", "failed", "failed"],
  ])("%s then %s gives %s", (current, incoming, expected) => {
    expect(nextDeliveryStatus(current, incoming)).toBe(expected);
  });

  it("ends in the same status whatever order the reports come in", () => {
    const reports: DeliveryStatus[] = ["sent", "delayed", "delivered", "bounced"];
    const orders = [reports, [...reports].reverse(), ["delivered", "sent", "bounced", "delayed"] as DeliveryStatus[]];
    const finals = orders.map((order) => order.reduce<DeliveryStatus | null>((current, s) => nextDeliveryStatus(current, s), null));
    expect(new Set(finals)).toEqual(new Set(["bounced"]));
  });
});

describe("deliveryChanges", () => {
  const current = new Map<string, DeliveryStatus | null>([
    ["a", null],
    ["b", "delivered"],
    ["c", "sent"],
  ]);

  it("ends where the same reports applied one by one end, with the time of the report that decided", () => {
    const changes = deliveryChanges(current, [
      { invitationId: "a", status: "sent", at: "t1" },
      { invitationId: "a", status: "delivered", at: "t2" },
      { invitationId: "a", status: "delayed", at: "t3" },
      { invitationId: "b", status: "sent", at: "t4" },
      { invitationId: "c", status: "bounced", at: "t5" },
    ]);
    expect(Object.fromEntries(changes)).toEqual({ a: { status: "delivered", at: "t2" }, c: { status: "bounced", at: "t5" } });
  });

  it("leaves out invitations it does not know and those that do not move", () => {
    const changes = deliveryChanges(current, [
      { invitationId: "zz", status: "delivered", at: "t1" },
      { invitationId: "b", status: "delayed", at: "t2" },
    ]);
    expect(changes.size).toBe(0);
  });
});

describe("what a Resend error means", () => {
  it("reads retry-after as seconds or as a date", () => {
    expect(retryAfterSeconds("3")).toBe(3);
    expect(retryAfterSeconds(undefined)).toBe(1);
    expect(retryAfterSeconds("0.2")).toBe(1);
    expect(retryAfterSeconds(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30);
    expect(retryAfterSeconds("999999")).toBe(43_200);
  });

  it.each([
    [{ statusCode: 429, name: "rate_limit_exceeded", message: "" }, "rate_limited"],
    [{ statusCode: 429, name: "daily_quota_exceeded", message: "" }, "rate_limited"],
    [{ statusCode: 500, name: "internal_server_error", message: "" }, "unavailable"],
    [{ statusCode: null, name: "application_error", message: "Unable to fetch data" }, "unavailable"],
    [{ statusCode: 422, name: "validation_error", message: "" }, "refused"],
    [{ statusCode: 400, name: "validation_error", message: "" }, "refused"],
    [{ statusCode: 422, name: "invalid_from_address", message: "" }, "unavailable"],
    [{ statusCode: 401, name: "invalid_api_key", message: "" }, "unavailable"],
    [{ statusCode: 409, name: "concurrent_idempotent_requests", message: "" }, "unavailable"],
  ])("%o is %s", (error, kind) => {
    expect(classify(error, { "retry-after": "2" }).kind).toBe(kind);
  });
});
