// One client, for every per-client limit: an IPv4 address, or an IPv6 /64 however it is spelled.
import { describe, expect, it } from "vitest";
import { clientPrefix } from "../../worker/auth/client-prefix";

describe("clientPrefix", () => {
  it("keeps an IPv4 address as it is", () => {
    expect(clientPrefix("203.0.113.7")).toBe("203.0.113.7");
  });

  it.each([
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:0DB8:0001:0002:ffff:0:0:1", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:db8:0:0:aaaa::", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
  ])("keys %s by its /64", (ip, key) => {
    expect(clientPrefix(ip)).toBe(key);
  });

  it("gives every address of one /64 the same key, and a neighbouring /64 another", () => {
    const keys = new Set(["2001:db8:a:b::1", "2001:db8:a:b:ffff:ffff:ffff:ffff", "2001:db8:a:b:1234::5678"].map(clientPrefix));
    expect(keys.size).toBe(1);
    expect(clientPrefix("2001:db8:a:c::1")).not.toBe(clientPrefix("2001:db8:a:b::1"));
  });

  it("reads an IPv4-mapped IPv6 address as its IPv4 address", () => {
    expect(clientPrefix("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientPrefix("::ffff:cb00:7107")).toBe("203.0.113.7");
  });

  it("has no key without an address, and keeps anything unparseable as its own bounded key", () => {
    expect(clientPrefix(null)).toBeNull();
    expect(clientPrefix("")).toBeNull();
    expect(clientPrefix("1:2:3")).toBe("1:2:3");
    expect(clientPrefix(`::${"f".repeat(200)}`)).toHaveLength(64);
  });
});
