// Recipients as people paste them, and what counts as one address: pure rules shared by the
// server and the invite modal.
import { describe, expect, it } from "vitest";
import { addressProblem, emailKey, isEmail } from "../../worker/recipients/address";
import { MAX_RECIPIENTS, parseRecipients } from "../../worker/recipients/parse";

const emails = (input: string | string[]) => parseRecipients(input).recipients.map((r) => r.email);

describe("addressProblem", () => {
  it("accepts ordinary addresses, sub-addresses and dotted local parts", () => {
    for (const ok of [
      "ada@example.org",
      "ada+camp@example.org",
      "grace.hopper@navy.mil.example",
      "o'brien@example.ie",
      "x@sub.example.co.uk",
    ]) {
      expect(addressProblem(ok), ok).toBeNull();
    }
  });

  it("accepts internationalised domains, in Unicode and in punycode", () => {
    for (const ok of [
      "josé@exämple.de",
      "user@exämple.de",
      "user@xn--exmple-cua.de",
      "user@उदाहरण.भारत",
      "user@пример.рф",
      "user@例え.テスト",
    ]) {
      expect(addressProblem(ok), ok).toBeNull();
    }
  });

  it("accepts a local part in another script (RFC 6531), composed or decomposed", () => {
    expect(addressProblem("josé@example.org")).toBeNull();
    expect(addressProblem("jose\u0301@example.org")).toBeNull();
    expect(addressProblem("用户@例子.广告")).toBeNull();
  });

  it("names what is wrong with an address", () => {
    expect(addressProblem("")).toBe("empty");
    expect(addressProblem("   ")).toBe("empty");
    expect(addressProblem("ada.example.org")).toBe("no_at");
    expect(addressProblem("a@b@c")).toBe("several_at");
    expect(addressProblem("@example.org")).toBe("bad_local");
    expect(addressProblem(".ada@example.org")).toBe("bad_local");
    expect(addressProblem("ada..lovelace@example.org")).toBe("bad_local");
    expect(addressProblem("ada lovelace@example.org")).toBe("bad_local");
    expect(addressProblem(`${"a".repeat(65)}@example.org`)).toBe("bad_local");
    expect(addressProblem("ada@localhost")).toBe("bad_domain");
    expect(addressProblem("ada@-example.org")).toBe("bad_domain");
    expect(addressProblem("ada@example..org")).toBe("bad_domain");
    expect(addressProblem("ada@example.o")).toBe("bad_domain");
    expect(addressProblem("ada@exa_mple.org")).toBe("bad_domain");
  });

  it("allows 254 characters and refuses 255 (the longest path SMTP carries)", () => {
    const local = "a".repeat(64);
    // A domain of exactly `length` characters ending in ".org", in labels of at most 63.
    const domainOf = (length: number) => {
      const labels: string[] = [];
      let rest = length - 4;
      while (rest > 0) {
        let size = Math.min(63, rest);
        if (rest - size === 1) size--; // leave room for a dot and a label of one letter
        labels.push("d".repeat(size));
        rest -= size + 1;
      }
      return `${labels.join(".")}.org`;
    };
    const longest = `${local}@${domainOf(254 - 65)}`;
    expect(longest).toHaveLength(254);
    expect(addressProblem(longest)).toBeNull();
    const tooLong = `${local}@${domainOf(255 - 65)}`;
    expect(tooLong).toHaveLength(255);
    expect(addressProblem(tooLong)).toBe("too_long");
  });

  it("isEmail agrees with addressProblem", () => {
    expect(isEmail("ada@example.org")).toBe(true);
    expect(isEmail("a@b@c")).toBe(false);
  });
});

describe("emailKey", () => {
  it("folds letter case only: +tag variants are different people", () => {
    expect(emailKey(" Ada@Example.ORG ")).toBe("ada@example.org");
    expect(emailKey("ÉLODIE@EXÄMPLE.DE")).toBe("élodie@exämple.de");
    expect(emailKey("ada+camp@example.org")).not.toBe(emailKey("ada@example.org"));
  });

  it("gives composed and decomposed accents the same key", () => {
    expect(emailKey("jose\u0301@example.org")).toBe(emailKey("jos\u00e9@example.org"));
  });
});

describe("parseRecipients", () => {
  it("splits on commas, semicolons, spaces, tabs and new lines alike", () => {
    const pasted =
      "a@example.org,b@example.org;c@example.org d@example.org\te@example.org\nf@example.org\r\ng@example.org , ; h@example.org";
    expect(emails(pasted)).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"].map((x) => `${x}@example.org`));
  });

  it("reads `Name <address>` as mail programs copy it", () => {
    expect(parseRecipients("Ada Lovelace <ada@example.org>, Grace Hopper <grace@example.org>").recipients).toEqual([
      { email: "ada@example.org", name: "Ada Lovelace", position: 1 },
      { email: "grace@example.org", name: "Grace Hopper", position: 2 },
    ]);
    expect(parseRecipients("<ada@example.org>").recipients).toEqual([{ email: "ada@example.org", name: null, position: 1 }]);
  });

  it('keeps the comma inside a quoted `"Last, First" <address>`', () => {
    expect(parseRecipients('"Lovelace, Ada" <ada@example.org>; "Hopper, Grace" <grace@example.org>').recipients).toEqual([
      { email: "ada@example.org", name: "Lovelace, Ada", position: 1 },
      { email: "grace@example.org", name: "Hopper, Grace", position: 2 },
    ]);
  });

  it("reads named recipients separated only by spaces or tabs, and a bare address beside a named one", () => {
    expect(parseRecipients("ada@example.org Grace Hopper <grace@example.org>").recipients).toEqual([
      { email: "ada@example.org", name: null, position: 1 },
      { email: "grace@example.org", name: "Grace Hopper", position: 2 },
    ]);
    expect(parseRecipients("Ada <ada@example.org> Grace Hopper <grace@example.org>\tlin@example.org").recipients).toEqual([
      { email: "ada@example.org", name: "Ada", position: 1 },
      { email: "grace@example.org", name: "Grace Hopper", position: 2 },
      { email: "lin@example.org", name: null, position: 3 },
    ]);
  });

  it("numbers entries from 1 in the order given, and reports every invalid one with its position", () => {
    const result = parseRecipients("ok1@example.org, nope, Ada <ada@example.org>\nbad@x, a@b@c; ok2@example.org");
    expect(result.recipients.map((r) => [r.email, r.position])).toEqual([
      ["ok1@example.org", 1],
      ["ada@example.org", 3],
      ["ok2@example.org", 6],
    ]);
    expect(result.invalid).toEqual([
      { entry: "nope", position: 2, problem: "no_at" },
      { entry: "bad@x", position: 4, problem: "bad_domain" },
      { entry: "a@b@c", position: 5, problem: "several_at" },
    ]);
  });

  it("reports an invalid address inside a named entry with the whole entry", () => {
    expect(parseRecipients("Ada <ada@@example.org>").invalid).toEqual([
      { entry: "Ada <ada@@example.org>", position: 1, problem: "several_at" },
    ]);
  });

  it("words that are not addresses are invalid entries, not names of the next one", () => {
    expect(parseRecipients("Grace Hopper grace@example.org").invalid.map((i) => i.entry)).toEqual(["Grace", "Hopper"]);
  });

  it("keeps the first of case variants and reports the others as duplicates of it", () => {
    const result = parseRecipients("Ada@Example.org, bob@example.org, ada@example.org; ADA@EXAMPLE.ORG");
    expect(result.recipients.map((r) => r.email)).toEqual(["Ada@Example.org", "bob@example.org"]);
    expect(result.duplicates).toEqual([
      { email: "ada@example.org", position: 3, firstPosition: 1 },
      { email: "ADA@EXAMPLE.ORG", position: 4, firstPosition: 1 },
    ]);
  });

  it("treats +tag variants as different people", () => {
    const result = parseRecipients("ada@example.org, ada+camp@example.org, ada+camp@example.org");
    expect(result.recipients.map((r) => r.email)).toEqual(["ada@example.org", "ada+camp@example.org"]);
    expect(result.duplicates).toEqual([{ email: "ada+camp@example.org", position: 3, firstPosition: 2 }]);
  });

  it("takes an array, one entry or several per item", () => {
    expect(parseRecipients(["ada@example.org", "Grace Hopper <grace@example.org>", '"Lin, Mei" <mei@example.org>']).recipients).toEqual([
      { email: "ada@example.org", name: null, position: 1 },
      { email: "grace@example.org", name: "Grace Hopper", position: 2 },
      { email: "mei@example.org", name: "Lin, Mei", position: 3 },
    ]);
  });

  it("finds nothing in empty input, separators only, or an empty array", () => {
    for (const input of ["", "   ", " , ;\n\t\r\n ;;", [], ["", " "]]) {
      expect(parseRecipients(input)).toEqual({ recipients: [], invalid: [], duplicates: [] });
    }
  });

  it("leaves the count limit to the caller: it parses more than MAX_RECIPIENTS", () => {
    const many = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `p${i}@example.org`).join(" ");
    expect(parseRecipients(many).recipients).toHaveLength(MAX_RECIPIENTS + 1);
  });
});
