// Which addresses a webhook may be delivered to.
//
// Why: a webhook URL makes the worker send a POST wherever an admin points it. Pointed at
// 169.254.169.254 (a cloud's metadata service), 127.0.0.1:6379 (our own Redis) or a host on the
// office network, the worker becomes a way into places the admin's browser cannot reach, and a
// stolen admin session becomes more than a stolen admin session ("server-side request forgery").
// GitLab, Mastodon and Discourse refuse such addresses by default and let the operator allow the
// ones they mean; so do we: WEBHOOK_ALLOWED_NETWORKS lists the private addresses or CIDR ranges
// that are fine (an internal CRM at 10.0.5.20, say). docs/security.md, "Webhooks".
//
// The check runs twice: when the webhook is saved (a clear 422 for the admin) and when each
// delivery connects (guardedLookup), because a name's DNS answer can change after it was saved
// ("DNS rebinding"); the address checked is the one connected to.
import { BlockList, isIP } from "node:net";
import dns from "node:dns";
import { AppError } from "../errors";
import { getEnv } from "../env";
import { allowedNetworks } from "./allowed-networks";
import { ipv6Bytes } from "../validation/ipv6-bytes";

/** Special-purpose ranges (IANA's registries): nothing a public webhook receiver lives in. */
const PRIVATE_V4: [string, number, string][] = [
  ["0.0.0.0", 8, "this network"],
  ["10.0.0.0", 8, "a private network"],
  ["100.64.0.0", 10, "a carrier-grade NAT network"],
  ["127.0.0.0", 8, "this machine (loopback)"],
  ["169.254.0.0", 16, "a link-local network (cloud metadata services live here)"],
  ["172.16.0.0", 12, "a private network"],
  ["192.0.0.0", 24, "an IETF protocol range"],
  ["192.168.0.0", 16, "a private network"],
  ["198.18.0.0", 15, "a benchmarking network"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "a reserved range"],
];
const PRIVATE_V6: [string, number, string][] = [
  ["::", 128, "the unspecified address"],
  ["::1", 128, "this machine (loopback)"],
  ["fc00::", 7, "a private network (unique local)"],
  ["fe80::", 10, "a link-local network"],
  ["ff00::", 8, "multicast"],
];

const privateRanges = PRIVATE_V4.map(([net, prefix, why]) => ({ list: blockOf(net, prefix, "ipv4"), why })).concat(
  PRIVATE_V6.map(([net, prefix, why]) => ({ list: blockOf(net, prefix, "ipv6"), why })),
);

function blockOf(net: string, prefix: number, type: "ipv4" | "ipv6"): BlockList {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return list;
}

/**
 * IPv6 ranges that carry an IPv4 address, which is what the packet reaches: NAT64 (64:ff9b::/96 and the local-use
 * 64:ff9b:1::/48, where an IPv6-only server with DNS64 sees every IPv4-only receiver), SIIT's IPv4-translated
 * ::ffff:0:0:0/96 (last 32 bits) and 6to4's 2002::/16 (bits 16–47). Judged by the IPv4 address inside: a public
 * receiver reached through NAT64 is fine, 64:ff9b::a00:1 (10.0.0.1) is not. (IPv4-mapped ::ffff:a.b.c.d is
 * judged as IPv4 by BlockList itself.) The local-use /48 is read as a /96 NAT64 prefix, the usual layout; with
 * another layout (RFC 6052) the last 32 bits are the zero suffix, read as 0.0.0.0 and refused: fail closed.
 */
const EMBEDDING_V4: { list: BlockList; at: number; via: string }[] = [
  { list: blockOf("64:ff9b::", 96, "ipv6"), at: 12, via: "NAT64" },
  { list: blockOf("64:ff9b:1::", 48, "ipv6"), at: 12, via: "NAT64" },
  { list: blockOf("::ffff:0:0:0", 96, "ipv6"), at: 12, via: "SIIT" },
  { list: blockOf("2002::", 16, "ipv6"), at: 2, via: "6to4" },
];

let allowedCache: { value: string; list: BlockList } | undefined;
function envAllowed(): BlockList {
  const value = getEnv().WEBHOOK_ALLOWED_NETWORKS;
  if (allowedCache?.value !== value) allowedCache = { value, list: allowedNetworks(value) };
  return allowedCache.list;
}

/**
 * Why a webhook may not be sent to this IP address, or null when it may. IPv4-mapped IPv6
 * addresses (::ffff:10.0.0.1) are judged as the IPv4 address they carry (BlockList does that).
 */
export function blockedAddressReason(ip: string, allowed: BlockList = envAllowed()): string | null {
  const type = isIP(ip);
  if (!type) return `"${ip}" is not an IP address`;
  const family = type === 6 ? "ipv6" : "ipv4";
  if (allowed.check(ip, family)) return null;
  if (family === "ipv6") {
    const embedding = EMBEDDING_V4.find((e) => e.list.check(ip, "ipv6"));
    if (embedding) {
      const v4 = ipv6Bytes(ip).slice(embedding.at, embedding.at + 4).join(".");
      const why = blockedAddressReason(v4, allowed);
      return why ? `${ip} is ${why.replace(/^\S+ is /, "")} (${v4}, reached through ${embedding.via})` : null;
    }
  }
  const hit = privateRanges.find((r) => r.list.check(ip, family));
  return hit ? `${ip} is ${hit.why}` : null;
}

/** The error code of a connection refused here (guardedLookup, and deliverWebhook's check of a literal address). */
export const REFUSED_CODE = "EWEBHOOKBLOCKED";

/** What to do about it, for the admin reading a refusal. */
export const ALLOW_HINT = "webhooks go to public addresses unless the server's WEBHOOK_ALLOWED_NETWORKS lists the address";

/** A URL's host without IPv6 brackets ("[::1]" → "::1"). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1");

/**
 * When a webhook is saved: refuses (422) a URL whose host is, or resolves to, an address
 * webhooks may not reach. A name that does not resolve now is accepted: its deliveries will
 * fail visibly, and guardedLookup checks whatever it resolves to later.
 */
export async function assertWebhookTarget(rawUrl: string, allowed: BlockList = envAllowed()): Promise<void> {
  const host = hostOf(new URL(rawUrl));
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return;
    }
  }
  for (const address of addresses) {
    const why = blockedAddressReason(address, allowed);
    if (why) throw new AppError("VALIDATION", `This webhook URL points inside the network: ${why}${host === address ? "" : ` (the address of ${host})`}; ${ALLOW_HINT}.`, { details: { field: "url" } });
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request: dns.lookup, then refuses the connection when an address it
 * returns is one webhooks may not reach. Node calls it for host names only, so a literal IP in
 * the URL is checked before the request is made (see deliverWebhook).
 */
export function guardedLookup(allowed: BlockList = envAllowed()) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const why = blockedAddressReason(a.address, allowed);
        if (why) return callback(Object.assign(new Error(`refused: ${why} (the address of ${hostname}); ${ALLOW_HINT}`), { code: REFUSED_CODE }), "");
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

export { hostOf as webhookHostOf };
