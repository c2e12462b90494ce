// Who "one client" is, for every per-client limit: an IPv4 address, or an IPv6 /64. One home or
// phone connection gets a whole /64 (2^64 addresses), so counting IPv6 clients per address would
// give each of them an endless supply of fresh counters. Pure: the address comes from the caller.

const HEXTETS = /^[0-9a-f]{1,4}$/;

/**
 * The key of the client behind `ip` (as Cloudflare's edge puts it in `cf-connecting-ip`): an IPv4
 * address as is, an IPv4-mapped IPv6 address as its IPv4 address, any other IPv6 address as its
 * /64 in one spelling (`2001:db8:0:7::/64`). Null for no address; anything unparseable is its
 * own (bounded) key.
 */
export function clientPrefix(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const address = ip.trim().toLowerCase().split("%")[0]!;
  if (!address.includes(":")) return address.slice(0, 64);
  const hextets = expandIpv6(address);
  if (!hextets) return address.slice(0, 64);
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    const [a, b] = [hextets[6]!, hextets[7]!];
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (`::` and a trailing dotted IPv4 part expanded), or null. */
function expandIpv6(address: string): number[] | null {
  let text = address;
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const octets = dotted.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return null;
    text = `${text.slice(0, dotted.index)}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const part = (s: string | undefined) => (s ? s.split(":") : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => HEXTETS.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}
