// The session form's dates: a wall-clock time in an IANA zone, turned into the instant it names.
import { describe, expect, it } from "vitest";
import { instantToZoned, zonedToInstant } from "../../worker/admin/zoned-time";

describe("zonedToInstant", () => {
  it.each([
    ["2027-07-05T09:00", "Europe/Paris", "2027-07-05T07:00:00.000Z"], // summer time, UTC+2
    ["2027-01-10T09:00", "Europe/Paris", "2027-01-10T08:00:00.000Z"], // winter time, UTC+1
    ["2027-03-13T12:00", "America/New_York", "2027-03-13T17:00:00.000Z"], // the day before DST, UTC−5
    ["2027-03-14T12:00", "America/New_York", "2027-03-14T16:00:00.000Z"], // DST started at 02:00, UTC−4
    ["2027-01-10T09:00", "Australia/Sydney", "2027-01-09T22:00:00.000Z"], // southern summer, UTC+11
    ["2027-07-05T09:00", "Asia/Kolkata", "2027-07-05T03:30:00.000Z"], // half-hour offset
    ["2027-07-05T09:00", "Asia/Kathmandu", "2027-07-05T03:15:00.000Z"], // quarter-hour offset
    ["2027-01-01T00:00", "Pacific/Kiritimati", "2026-12-31T10:00:00.000Z"], // UTC+14, a day ahead
    ["2027-01-01T00:00", "Pacific/Pago_Pago", "2027-01-01T11:00:00.000Z"], // UTC−11
    ["2027-07-05T09:00", "UTC", "2027-07-05T09:00:00.000Z"],
    ["2027-07-05T09:00:30", "Europe/London", "2027-07-05T08:00:30.000Z"], // seconds kept
    ["2028-02-29T10:00", "Europe/Paris", "2028-02-29T09:00:00.000Z"], // leap day
  ])("%s in %s is %s", (local, zone, instant) => {
    expect(zonedToInstant(local, zone)).toBe(instant);
  });

  it("moves a time that clocks skip forward by the length of the gap", () => {
    // Paris, 28 March 2027: 02:00 becomes 03:00, so 02:30 never happens; it is read as 03:30 CEST.
    expect(zonedToInstant("2027-03-28T02:30", "Europe/Paris")).toBe("2027-03-28T01:30:00.000Z");
    // New York, 14 March 2027: the same at 02:30, read as 03:30 EDT.
    expect(zonedToInstant("2027-03-14T02:30", "America/New_York")).toBe("2027-03-14T07:30:00.000Z");
    // Lord Howe Island moves its clocks by half an hour: 02:15 is read as 02:45 (UTC+11).
    expect(zonedToInstant("2027-10-03T02:15", "Australia/Lord_Howe")).toBe("2027-10-02T15:45:00.000Z");
  });

  it("takes the first of a time that happens twice when clocks go back", () => {
    // Paris, 31 October 2027: 03:00 CEST becomes 02:00 CET, so 02:30 happens at 00:30Z and 01:30Z.
    expect(zonedToInstant("2027-10-31T02:30", "Europe/Paris")).toBe("2027-10-31T00:30:00.000Z");
    // New York, 7 November 2027: 01:30 EDT (05:30Z), not 01:30 EST (06:30Z).
    expect(zonedToInstant("2027-11-07T01:30", "America/New_York")).toBe("2027-11-07T05:30:00.000Z");
  });

  it("is exact on each side of a change", () => {
    expect(zonedToInstant("2027-03-28T01:59", "Europe/Paris")).toBe("2027-03-28T00:59:00.000Z");
    expect(zonedToInstant("2027-03-28T03:00", "Europe/Paris")).toBe("2027-03-28T01:00:00.000Z");
    expect(zonedToInstant("2027-10-31T03:00", "Europe/Paris")).toBe("2027-10-31T02:00:00.000Z");
  });

  it.each([
    ["2027-02-30T10:00", "Europe/Paris"],
    ["2027-13-01T10:00", "Europe/Paris"],
    ["2027-07-05T24:00", "Europe/Paris"],
    ["2027-07-05", "Europe/Paris"],
    ["5 July 2027 09:00", "Europe/Paris"],
    ["", "Europe/Paris"],
    ["2027-07-05T09:00", "Mars/Olympus_Mons"],
    ["2027-07-05T09:00", ""],
  ])("refuses %j in %j", (local, zone) => {
    expect(zonedToInstant(local, zone)).toBeNull();
  });
});

describe("instantToZoned", () => {
  it("shows an instant as the wall-clock time of a zone, as a datetime-local input wants it", () => {
    expect(instantToZoned("2027-07-05T07:00:00.000Z", "Europe/Paris")).toBe("2027-07-05T09:00");
    expect(instantToZoned("2027-01-09T22:00:00Z", "Australia/Sydney")).toBe("2027-01-10T09:00");
    expect(instantToZoned("2027-07-05T09:00:00+02:00", "America/Los_Angeles")).toBe("2027-07-05T00:00");
  });

  it("round-trips every hour of a year with two clock changes", () => {
    const start = Date.parse("2027-01-01T00:00:00Z");
    for (let h = 0; h < 365 * 24; h++) {
      const instant = new Date(start + h * 3_600_000).toISOString();
      const local = instantToZoned(instant, "Europe/Paris");
      const back = zonedToInstant(local, "Europe/Paris")!;
      // Only the repeated hour in October may come back as its first occurrence.
      if (back !== instant) expect(Date.parse(instant) - Date.parse(back)).toBe(3_600_000);
    }
  });
});
