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
    expect(ipLimitKey("64:ff9b::203.0.113.7")).toBe("64:ff9b:0:0::/64");
  });
  it("leaves anything that is not an address as it is", () => {
    expect(ipLimitKey("unknown")).toBe("unknown");
    expect(ipLimitKey("")).toBe("");
  });
});
