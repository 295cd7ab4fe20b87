// WEBHOOK_ALLOWED_NETWORKS' parser, on its own so that server/env.ts can validate the variable at
// start-up (a typo stops the process with the entry named) without importing the webhook code.
import { BlockList, isIP } from "node:net";

/** WEBHOOK_ALLOWED_NETWORKS ("10.0.5.20, 192.168.10.0/24, ::1") as a BlockList; throws on an entry that is neither. */
export function allowedNetworks(value: string): BlockList {
  const list = new BlockList();
  for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [ip, prefix, ...rest] = entry.split("/");
    const type = isIP(ip);
    const bits = prefix === undefined ? (type === 6 ? 128 : 32) : Number(prefix);
    if (!type || rest.length || !Number.isInteger(bits) || bits < 0 || bits > (type === 6 ? 128 : 32) || (prefix !== undefined && !/^\d+$/.test(prefix))) {
      throw new Error(`"${entry}" is not an IP address or a CIDR range (like 10.0.5.20 or 192.168.10.0/24)`);
    }
    list.addSubnet(ip, bits, type === 6 ? "ipv6" : "ipv4");
  }
  return list;
}
