// Secrets compared without telling, through timing, how much of a guess was right.
import { describe, expect, it } from "vitest";
import { equalInConstantTime } from "../../worker/auth/compare";

describe("equalInConstantTime", () => {
  it.each([
    ["OWL-2027", "OWL-2027", true],
    ["OWL-2027", "OWL-2028", false],
    ["OWL-2027", "OWL-202", false],
    ["OWL-202", "OWL-2027", false],
    ["", "", true],
    ["", "x", false],
    ["café", "cafe\u0301", false],
    ["été", "été", true],
    ["a\u0000", "a", false],
  ])("says %j and %j are equal: %s", (a, b, equal) => {
    expect(equalInConstantTime(a, b)).toBe(equal);
  });

  it("calls strings longer than its bound unequal, even to themselves", () => {
    const long = "x".repeat(300);
    expect(equalInConstantTime(long, long)).toBe(false);
    expect(equalInConstantTime("x".repeat(256), "x".repeat(256))).toBe(true);
  });
});
