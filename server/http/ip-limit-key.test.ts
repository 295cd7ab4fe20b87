import { describe, expect, it } from "vitest";
import { ipLimitKey } from "./ip-limit-key";

describe("ipLimitKey", () => {
  it("keeps an IPv4 address, and reads an IPv4-mapped IPv6 address as the IPv4 one", () => {
    expect(ipLimitKey("203.0.113.7")).toBe("203.0.113.7");
    expect(ipLimitKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(ipLimitKey("::FFFF:203.0.113.7")).toBe("203.0.113.7");
  });
  it("counts IPv6 by its /64, whatever the spelling", () => {
    const key = "2001:db8:1:2::/64";
    for (const ip of ["2001:db8:1:2::1", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:0DB8:0001:0002:ffff::", "2001:db8:1:2::5%eth0"]) expect(ipLimitKey(ip)).toBe(key);
    expect(ipLimitKey("2001:db8:1:3::1")).not.toBe(key);
    expect(ipLimitKey("::1")).toBe("0:0:0:0::/64");
  });
  it("leaves anything that is not an address as it is", () => {
    expect(ipLimitKey("unknown")).toBe("unknown");
    expect(ipLimitKey("")).toBe("");
  });
});

describe("ipLimitKey: IPv6 forms that carry an IPv4 client are that client (session review)", () => {
  it.each([
    ["IPv4-mapped written out", "0:0:0:0:0:ffff:203.0.113.7", "203.0.113.7"],
    ["IPv4-mapped in hex", "::ffff:cb00:7107", "203.0.113.7"],
    ["IPv4-compatible", "::203.0.113.7", "203.0.113.7"],
    ["NAT64, well-known prefix", "64:ff9b::203.0.113.7", "203.0.113.7"],
    ["NAT64 in hex", "64:ff9b::c633:6409", "198.51.100.9"],
    ["NAT64, local-use prefix", "64:ff9b:1::cb00:7107", "203.0.113.7"],
    ["6to4", "2002:cb00:7107::1", "203.0.113.7"],
    ["Teredo (client address inverted)", "2001:0:4136:e378:8000:63bf:34ff:8ef8", "203.0.113.7"],
  ])("%s", (_name, ip, key) => {
    expect(ipLimitKey(ip)).toBe(key);
  });
  it("two IPv4 users behind NAT64 get two budgets", () => {
    expect(ipLimitKey("64:ff9b::203.0.113.7")).not.toBe(ipLimitKey("64:ff9b::198.51.100.9"));
  });
});
