// The direct /api/trpc path that `npm start` uses (server/http/node-trpc.ts), over a real Node
// http server, the real database and real next-auth session cookies: who the caller is, the
// security headers, the body limit (also for chunked bodies), methods, errors and metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import zlib from "node:zlib";
import { acceptsGzip, handleNodeTrpc, isTrpcPath } from "./node-trpc";
import { securityHeaders } from "./security-headers.cjs";
import { TRPC_MAX_BODY_BYTES } from "../trpc/http-handler";
import { httpHistogram } from "../metrics/http-metrics";
import { sessionCookieName } from "../auth/session-token";
import { getEnv } from "../env";
import { db, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => void handleNodeTrpc(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function cookieFor(actor: Actor): Promise<string> {
  const token = await encode({ token: { uid: actor.id, role: actor.role, email: actor.email, name: actor.name, sub: actor.id }, secret: getEnv().NEXTAUTH_SECRET, maxAge: 3600 });
  return `${sessionCookieName()}=${token}`;
}

const getPath = (procedure: string, input?: unknown) => `/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;

/** A raw HTTP/1.1 exchange, for what fetch will not send (a chunked body of our choosing). */
function rawRequest(head: string, chunks: Buffer[]): Promise<{ status: number; text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    const sock = net.connect(port, "127.0.0.1");
    let data = "";
    sock.on("data", (d) => (data += d.toString("latin1")));
    sock.on("error", () => undefined); // the server may close while we still write
    sock.on("close", () => resolve({ status: Number(data.split(" ")[1]), text: data, closed: true }));
    sock.setTimeout(20_000, () => reject(new Error(`no answer; got: ${data.slice(0, 200)}`)));
    sock.write(head);
    (async () => {
      for (const c of chunks) {
        if (sock.destroyed) return;
        sock.write(`${c.length.toString(16)}\r\n`);
        sock.write(c);
        sock.write("\r\n");
        await new Promise((r) => setImmediate(r));
      }
      // Not end(): a half-closed socket may lose the answer; Connection: close ends the exchange.
      if (!sock.destroyed) sock.write("0\r\n\r\n");
    })();
  });
}

describe("isTrpcPath", () => {
  it("takes /api/trpc and below, nothing that only starts alike", () => {
    for (const u of ["/api/trpc", "/api/trpc/system.me", "/api/trpc/a,b?batch=1", "/api/trpc?x=1"]) expect(isTrpcPath(u)).toBe(true);
    for (const u of [undefined, "", "/", "/api/trpcx", "/api/trpc-admin", "/x/api/trpc/a", "/api/auth/session", "/API/trpc/a"]) expect(isTrpcPath(u)).toBe(false);
  });
});

describe("acceptsGzip", () => {
  it("reads Accept-Encoding as browsers and proxies send it, q=0 included", () => {
    for (const h of ["gzip", "gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.8", "*", "GZIP", ["deflate", "gzip"]]) expect(acceptsGzip(h), String(h)).toBe(true);
    for (const h of [undefined, "", "identity", "br", "gzip;q=0", "gzip; q=0, deflate", "x-gzip2", "gzipx"]) expect(acceptsGzip(h), String(h)).toBe(false);
  });
});

// Which client address the direct path records (decided by the launcher, not here) is tested
// in server/http/client-ip.test.ts.

describe("direct tRPC path", () => {
  it("answers as the signed-in user, with every security header Next adds and the caller's request id", async () => {
    const rep = await makeUser("REP");
    const res = await fetch(base + getPath("system.me"), { headers: { cookie: await cookieFor(rep), "x-request-id": "req-node-1" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { json: Actor } } };
    expect(body.result.data.json).toMatchObject({ id: rep.id, role: "REP" });
    for (const { key, value } of securityHeaders(process.env.NODE_ENV === "production")) expect(res.headers.get(key)).toBe(value);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-request-id")).toBe("req-node-1");
  });

  it("treats a missing, garbage or forged session as anonymous (401), and makes up a request id for a hostile one", async () => {
    const forged = await encode({ token: { uid: randomUUID(), role: "ADMIN" }, secret: "not-the-secret-0123456789abcdef", maxAge: 3600 });
    for (const cookie of [undefined, `${sessionCookieName()}=garbage`, `${sessionCookieName()}=${forged}`, `${sessionCookieName()}=${encodeURIComponent("€".repeat(1000))}`, "%%%;;;=="]) {
      const res = await fetch(base + getPath("system.me"), { headers: { ...(cookie ? { cookie } : {}), "x-request-id": "<script>x</script>" } });
      expect(res.status, String(cookie).slice(0, 40)).toBe(401);
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("runs a mutation sent as POST and stores exactly one row", async () => {
    const rep = await makeUser("REP");
    const email = `node-trpc-${randomUUID()}@test.example`;
    const res = await fetch(base + "/api/trpc/contacts.create", {
      method: "POST",
      headers: { cookie: await cookieFor(rep), "content-type": "application/json" },
      body: JSON.stringify({ json: { fullName: "Direct Path", email } }),
    });
    expect(res.status).toBe(200);
    expect(await db().contact.count({ where: { email } })).toBe(1);
  });

  it("refuses a body over the limit with 413, whether it declares its length or is chunked, and creates nothing", async () => {
    const rep = await makeUser("REP");
    const cookie = await cookieFor(rep);
    const email = `too-big-${randomUUID()}@test.example`;
    const big = JSON.stringify({ json: { fullName: "Too Big", email, notes: "x".repeat(TRPC_MAX_BODY_BYTES) } });

    const declared = await fetch(base + "/api/trpc/contacts.create", { method: "POST", headers: { cookie, "content-type": "application/json" }, body: big });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(/too large/i);

    // Chunked: no Content-Length to check up front; the limit applies while reading.
    const buf = Buffer.from(big);
    const chunks = Array.from({ length: Math.ceil(buf.length / 65_536) }, (_, i) => buf.subarray(i * 65_536, (i + 1) * 65_536));
    const head = `POST /api/trpc/contacts.create HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunked = await rawRequest(head, chunks);
    expect(chunked.status).toBe(413);
    expect(chunked.text).toMatch(/connection: close/i);
    expect(chunked.closed).toBe(true);

    expect(await db().contact.count({ where: { email } })).toBe(0);
    // The server still answers afterwards.
    expect((await fetch(base + getPath("system.me"), { headers: { cookie } })).status).toBe(200);
  });

  it("accepts a chunked body under the limit", async () => {
    const rep = await makeUser("REP");
    const email = `chunked-${randomUUID()}@test.example`;
    const buf = Buffer.from(JSON.stringify({ json: { fullName: "Chunked Ok", email } }));
    const head = `POST /api/trpc/contacts.create HTTP/1.1\r\nHost: x\r\nCookie: ${await cookieFor(rep)}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const res = await rawRequest(head, [buf.subarray(0, 10), buf.subarray(10)]);
    expect(res.status).toBe(200);
    expect(await db().contact.count({ where: { email } })).toBe(1);
  });

  it("gzips a larger answer for a client that accepts it, and only then", async () => {
    const rep = await makeUser("REP");
    const cookie = await cookieFor(rep);
    for (let i = 0; i < 12; i++) await db().contact.create({ data: { ownerId: rep.id, fullName: `Gzip Person ${i}`, company: "Compression Works Ltd", email: `gz-${i}-${randomUUID()}@test.example`, source: "manual" } });
    const path = getPath("contacts.list", { limit: 50, ownerId: rep.id });
    const raw = (accept?: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http.get(base + path, { headers: { cookie, ...(accept ? { "accept-encoding": accept } : {}) } }, (res) => {
          const parts: Buffer[] = [];
          res.on("data", (d: Buffer) => parts.push(d));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        }).on("error", reject);
      });
    const plain = await raw();
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const zipped = await raw("gzip, deflate, br");
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(zipped.headers["content-length"])).toBe(zipped.body.length);
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(zlib.gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
    expect((await raw("gzip;q=0")).headers["content-encoding"]).toBeUndefined();
    // A small answer stays as it is.
    const me = await fetch(base + getPath("system.me"), { headers: { cookie, "accept-encoding": "gzip" } });
    expect(me.headers.get("content-encoding")).toBeNull();
  });

  it("answers 405 with Allow for other methods, and 404 for an unknown procedure", async () => {
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const res = await fetch(base + "/api/trpc/contacts.create", { method, body: method === "OPTIONS" ? undefined : "{}" });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, POST");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
    const unknown = await fetch(base + getPath("nope.nothing"));
    expect(unknown.status).toBe(404);
  });

  it("never rejects: a failure around the handler is a masked 500 with a request id, and the server keeps answering", async () => {
    const broken = http.createServer((req, res) => {
      // Whatever breaks while the request is read (here: its headers), the launcher does not
      // await the handler, so a rejection would end the web process.
      Object.defineProperty(req, "headers", { get: () => { throw new Error("boom at /srv/secret/config.ts"); } });
      handleNodeTrpc(req, res).then(
        () => undefined,
        () => (res.statusCode = 599) && res.end("rejected"),
      );
    });
    await new Promise<void>((r) => broken.listen(0, "127.0.0.1", r));
    try {
      const res = await fetch(`http://127.0.0.1:${(broken.address() as AddressInfo).port}/api/trpc/system.me`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secret");
      expect(text).not.toContain("boom");
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(text).toContain(res.headers.get("x-request-id")!);
    } finally {
      broken.closeAllConnections();
      await new Promise((r) => broken.close(r));
    }
  });

  it("answers a bad input with 4xx and the field, never 500", async () => {
    const rep = await makeUser("REP");
    const res = await fetch(base + getPath("contacts.list", { limit: "all" }), { headers: { cookie: await cookieFor(rep) } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const broken = await fetch(base + "/api/trpc/contacts.list?input=%7B%22json%22", { headers: { cookie: await cookieFor(rep) } });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
  });

  it("counts each call in the latency histogram under its procedure's name, and unknown paths under one label", async () => {
    const count = async (route: string) => {
      const m = await httpHistogram().get();
      return m.values.filter((v) => v.metricName?.endsWith("_count") && v.labels.route === route && v.labels.method === "GET").reduce((a, v) => a + v.value, 0);
    };
    const rep = await makeUser("REP");
    const cookie = await cookieFor(rep);
    const before = await count("/api/trpc/system.me");
    const unknownBefore = await count("/api/trpc/(unknown)");
    for (let i = 0; i < 3; i++) await fetch(base + getPath("system.me"), { headers: { cookie } });
    await fetch(base + getPath(`made-up-${randomUUID()}`));
    expect(await count("/api/trpc/system.me")).toBe(before + 3);
    expect(await count("/api/trpc/(unknown)")).toBe(unknownBefore + 1);
  });
});
