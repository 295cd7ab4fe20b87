// The 16 bytes of an IPv6 address, for reading what an address carries (an IPv4 address inside it): shared by the
// webhook address guard (server/integrations/webhook-address.ts) and the rate limits' client key
// (server/http/ip-limit-key.ts).

/** The 16 bytes of an IPv6 address (isIP(ip) === 6), "::", a zone id and a trailing dotted quad included. */
export function ipv6Bytes(ip: string): number[] {
  let text = ip.split("%")[0];
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === null ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
