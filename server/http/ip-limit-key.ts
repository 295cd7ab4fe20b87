// The key an address is rate-limited under. An IPv4 address is one subscriber; an IPv6 client normally holds a
// whole /64 (SLAAC, privacy addresses: RFC 4941) and can pick a fresh address for every request, so counting each
// /128 on its own gave one attacker 2^64 budgets (hostile review: 100 accounts sprayed from one /64, none refused).
// IPv6 addresses are therefore counted by their /64; logs keep the full address.
import { isIPv4, isIPv6 } from "node:net";

/** "203.0.113.7" → itself; "2001:db8:1:2:aaaa::1" → "2001:db8:1:2::/64"; "::ffff:203.0.113.7" → "203.0.113.7". */
export function ipLimitKey(ip: string): string {
  const bare = ip.replace(/%.*$/, ""); // a zone id ("fe80::1%eth0") says nothing about the sender
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(bare)) return ip;
  return `${expandV6(bare).slice(0, 4).map((h) => h.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/** The eight hextets of an IPv6 address. An IPv4 tail ("64:ff9b::1.2.3.4") is in the last two, outside the /64,
 *  so it is counted as "0:0". */
function expandV6(ip: string): string[] {
  const text = ip.replace(/\d+\.\d+\.\d+\.\d+$/, "0:0");
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.map((g) => g.toLowerCase());
}
