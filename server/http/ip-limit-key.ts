// The key an address is rate-limited under. An IPv4 address is one subscriber; an IPv6 client normally holds a
// whole /64 (SLAAC, privacy addresses: RFC 4941) and can pick a fresh address for every request, so counting each
// /128 on its own gave one attacker 2^64 budgets (hostile review: 100 accounts sprayed from one /64, none refused).
// IPv6 addresses are therefore counted by their /64; logs keep the full address.
//
// An IPv6 address that carries an IPv4 client is counted as that IPv4 address: IPv4-mapped and -compatible
// spellings, SIIT, NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48: what an IPv6-only server behind NAT64 sees
// for every IPv4 user), 6to4 and Teredo (whose /64 is the Teredo server's). By their /64 all those users shared one
// budget, and five failures by anyone locked an account for every IPv4 user (session review).
import { BlockList, isIPv4, isIPv6 } from "node:net";
import { ipv6Bytes } from "../validation/ipv6-bytes";

const carrying = (net: string, prefix: number, at: number, xor = 0) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, "ipv6");
  return { list, at, xor };
};
/** Where the IPv4 address sits in each IPv6 form that carries one (`xor`: Teredo stores it inverted). */
const CARRIERS = [
  carrying("::ffff:0:0", 96, 12), // IPv4-mapped, in any spelling
  carrying("::ffff:0:0:0", 96, 12), // SIIT
  carrying("64:ff9b::", 96, 12), // NAT64, well-known prefix
  carrying("64:ff9b:1::", 48, 12), // NAT64, local-use prefix (the usual /96 layout)
  carrying("2002::", 16, 2), // 6to4
  carrying("2001::", 32, 12, 0xff), // Teredo: the client's public IPv4, bits inverted
  carrying("::", 96, 12), // IPv4-compatible (deprecated); ::1 and :: themselves are not
];

/** "203.0.113.7" → itself; "2001:db8:1:2:aaaa::1" → "2001:db8:1:2::/64"; "64:ff9b::203.0.113.7" → "203.0.113.7". */
export function ipLimitKey(ip: string): string {
  const bare = ip.replace(/%.*$/, ""); // a zone id ("fe80::1%eth0") says nothing about the sender
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return ip;
  const bytes = ipv6Bytes(bare);
  const carrier = CARRIERS.find((c) => c.list.check(bare, "ipv6"));
  if (carrier) {
    const v4 = bytes.slice(carrier.at, carrier.at + 4).map((b) => b ^ carrier.xor);
    // "::" and "::1" fall in ::/96 but carry no client.
    if (!(carrier.at === 12 && carrier.xor === 0 && bytes.slice(0, 12).every((b) => b === 0) && v4.slice(0, 3).every((b) => b === 0) && v4[3] <= 1)) return v4.join(".");
  }
  const groups = [0, 2, 4, 6].map((i) => ((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return `${groups.join(":")}::/64`;
}
