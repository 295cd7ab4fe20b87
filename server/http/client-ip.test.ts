// The client address: decided once per request by `npm start`'s launcher from the TCP peer and
// TRUST_PROXY_HOPS (client-ip.cjs), and the only thing the app reads (request-meta.ts). A client
// cannot choose its own address with X-Forwarded-For, X-Real-IP or the launcher's header, so it
// cannot get a fresh per-IP sign-in budget per request (security review, finding 3).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import * as launcherSide from "./client-ip.cjs";
import { clientIpFrom, normalizeIp, parseTrustProxyHops, stampClientIp } from "./client-ip.cjs";
import { CLIENT_IP_HEADER, LAUNCHER_MARKER, clientIpOf, stampedClientIp } from "./request-meta";
import { fetchHeadersOf, handleNodeTrpc } from "./node-trpc";
import { authenticate } from "../auth/authenticate";
import { SIGN_IN_LIMITS } from "../auth/sign-in-limiter";
import { sessionCookieName } from "../auth/session-token";
import { listAudit } from "../audit/list-audit";
import { getEnv } from "../env";
import { db, makeUser } from "../testing/fixtures";

describe("clientIpFrom", () => {
  it("with TRUST_PROXY_HOPS=0 is the TCP peer, whatever X-Forwarded-For says", () => {
    expect(clientIpFrom("127.0.0.1", undefined, 0)).toBe("127.0.0.1");
    expect(clientIpFrom("::ffff:192.0.2.10", "203.0.113.7", 0)).toBe("192.0.2.10");
    expect(clientIpFrom("2001:DB8::1", ["203.0.113.7", "10.0.0.1"], 0)).toBe("2001:db8::1");
    expect(clientIpFrom(undefined, "203.0.113.7", 0)).toBe("unknown"); // socket already gone
  });

  it("with N trusted proxies is the Nth address from the right, which the outermost proxy appended", () => {
    // client → nginx (appends the client) → app
    expect(clientIpFrom("10.0.0.2", "203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientIpFrom("10.0.0.2", "6.6.6.6, 5.5.5.5, 203.0.113.9", 1)).toBe("203.0.113.9");
    // client → CDN (appends the client) → nginx (appends the CDN) → app
    expect(clientIpFrom("10.0.0.2", "6.6.6.6, 203.0.113.9, 198.51.100.1", 2)).toBe("203.0.113.9");
    expect(clientIpFrom("10.0.0.2", ["6.6.6.6", "203.0.113.9, 198.51.100.1"], 2)).toBe("203.0.113.9"); // repeated header lines
    // Forms proxies write: ports, brackets, IPv4-mapped IPv6.
    expect(clientIpFrom("10.0.0.2", "198.51.100.4:5123", 1)).toBe("198.51.100.4");
    expect(clientIpFrom("10.0.0.2", "[2001:db8::7]:443", 1)).toBe("2001:db8::7");
    expect(clientIpFrom("10.0.0.2", "::ffff:198.51.100.4", 1)).toBe("198.51.100.4");
  });

  it("falls back to the peer when the header is shorter than the chain or the entry is not an address", () => {
    expect(clientIpFrom("10.0.0.2", undefined, 1)).toBe("10.0.0.2"); // came straight to the app
    expect(clientIpFrom("10.0.0.2", "203.0.113.9", 2)).toBe("10.0.0.2");
    expect(clientIpFrom("10.0.0.2", "203.0.113.9, evil-host", 1)).toBe("10.0.0.2");
    expect(clientIpFrom("10.0.0.2", " , ", 1)).toBe("10.0.0.2");
  });

  it("normalizeIp accepts only IP addresses", () => {
    for (const bad of ["", "unknown", "1.2.3", "a|b", "203.0.113.9 x", "<script>", "::ffff:evil"]) expect(normalizeIp(bad), bad).toBeUndefined();
  });

  it("parseTrustProxyHops: unset is 0; anything but 0..20 is refused with the reason", () => {
    expect(parseTrustProxyHops(undefined)).toBe(0);
    expect(parseTrustProxyHops(" ")).toBe(0);
    expect(parseTrustProxyHops("2")).toBe(2);
    for (const bad of ["-1", "1.5", "21", "two", "1,2"]) expect(() => parseTrustProxyHops(bad), bad).toThrow(/TRUST_PROXY_HOPS must be a whole number from 0 to 20/);
  });

  it("the launcher and the app name the same header and marker", () => {
    expect(launcherSide.CLIENT_IP_HEADER).toBe(CLIENT_IP_HEADER);
    expect(launcherSide.LAUNCHER_MARKER).toBe(LAUNCHER_MARKER);
  });
});

describe("stampedClientIp outside the launcher", () => {
  const before = process.env[LAUNCHER_MARKER];
  afterEach(() => {
    if (before === undefined) delete process.env[LAUNCHER_MARKER];
    else process.env[LAUNCHER_MARKER] = before;
  });

  it("ignores the header (a client may have sent it) and every forwarded header: the address is unknown", () => {
    delete process.env[LAUNCHER_MARKER];
    const headers = new Headers({ [CLIENT_IP_HEADER]: "203.0.113.5", "x-forwarded-for": "203.0.113.6", "x-real-ip": "203.0.113.7" });
    expect(clientIpOf({ headers })).toBe("unknown");
  });

  it("in the launcher's processes reads only a plain address from the header", () => {
    process.env[LAUNCHER_MARKER] = "1";
    expect(stampedClientIp("203.0.113.5")).toBe("203.0.113.5");
    expect(stampedClientIp("2001:db8::1")).toBe("2001:db8::1");
    expect(clientIpOf({ headers: new Headers({ "x-forwarded-for": "203.0.113.6" }) })).toBe("unknown");
    for (const bad of [null, "", "a|b", "x".repeat(100), "1.2.3.4, 5.6.7.8"]) expect(stampedClientIp(bad)).toBe("unknown");
  });
});

// A server wired as scripts/start-web.cjs wires its web processes: the address is stamped first,
// then the request goes to the direct tRPC path, or to code that reads it as a Next route does.
describe("through a launcher-wired server", () => {
  let server: http.Server;
  let base: string;
  let hops = 0;
  const before = process.env[LAUNCHER_MARKER];
  const SPOOF = { "x-forwarded-for": "203.0.113.66, 198.51.100.7", "x-real-ip": "203.0.113.67", [CLIENT_IP_HEADER]: "203.0.113.68" };

  beforeAll(async () => {
    process.env[LAUNCHER_MARKER] = "1"; // as start-web.cjs sets it for its processes
    server = http.createServer((req, res) => {
      stampClientIp(req, hops);
      if (req.url?.startsWith("/api/trpc")) return void handleNodeTrpc(req, res);
      // What a route handler sees: Next builds its Request headers from req.headers.
      const headers = fetchHeadersOf(req);
      if (req.url === "/sign-in") {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
          authenticate(db(), JSON.parse(body), clientIpOf({ headers })).then(
            (u) => res.writeHead(u ? 200 : 401).end(),
            (e: { code?: string; retryAfter?: number }) => res.writeHead(e.code === "RATE_LIMITED" ? 429 : 500, { "retry-after": String(e.retryAfter ?? "") }).end(),
          );
        });
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ip: clientIpOf({ headers }), forwardedFor: req.headers["x-forwarded-for"], realIp: req.headers["x-real-ip"] ?? null }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (before === undefined) delete process.env[LAUNCHER_MARKER];
    else process.env[LAUNCHER_MARKER] = before;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  afterEach(() => {
    hops = 0;
  });

  it("TRUST_PROXY_HOPS=0: the peer address; X-Forwarded-For is rewritten to it and X-Real-IP dropped", async () => {
    const seen = await (await fetch(`${base}/probe`, { headers: SPOOF })).json();
    expect(seen).toEqual({ ip: "127.0.0.1", forwardedFor: "127.0.0.1", realIp: null });
  });

  it("TRUST_PROXY_HOPS=1: the address the proxy appended, not the client's own entries", async () => {
    hops = 1;
    const seen = await (await fetch(`${base}/probe`, { headers: { ...SPOOF, "x-forwarded-for": "6.6.6.6, 203.0.113.9" } })).json();
    expect(seen).toMatchObject({ ip: "203.0.113.9", forwardedFor: "203.0.113.9" });
  });

  it("the direct tRPC path records the peer, not the spoofed headers (audit log)", async () => {
    const admin = await makeUser("ADMIN");
    const token = await encode({ token: { uid: admin.id, role: admin.role, email: admin.email, name: admin.name, sub: admin.id }, secret: getEnv().NEXTAUTH_SECRET, maxAge: 3600 });
    const requestId = `ip-${randomUUID().slice(0, 8)}`;
    const res = await fetch(`${base}/api/trpc/users.create`, {
      method: "POST",
      headers: { ...SPOOF, cookie: `${sessionCookieName()}=${token}`, "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({ json: { email: `ip-${randomUUID().slice(0, 8)}@example.test`, name: "IP", password: "ip-test-password", role: "REP" } }),
    });
    expect(res.status, await res.text()).toBe(200);
    const { items } = await listAudit(db(), { action: "users.create", limit: 200 });
    expect(items.find((i) => i.requestId === requestId)?.ip).toBe("127.0.0.1");
  });

  it("the per-IP sign-in limit holds however X-Forwarded-For changes between attempts", async () => {
    // Password spraying: one password, a new account and a new made-up address each time.
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) {
      const res = await fetch(`${base}/sign-in`, {
        method: "POST",
        headers: { "x-forwarded-for": `203.0.113.${i + 1}`, [CLIENT_IP_HEADER]: `198.51.100.${i + 1}` },
        body: JSON.stringify({ email: `spray-${i}-${randomUUID().slice(0, 8)}@x.example`, password: "Summer2026!" }),
      });
      expect(res.status).toBe(401);
    }
    const res = await fetch(`${base}/sign-in`, {
      method: "POST",
      headers: { "x-forwarded-for": "192.0.2.200" },
      body: JSON.stringify({ email: `spray-last-${randomUUID().slice(0, 8)}@x.example`, password: "Summer2026!" }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
