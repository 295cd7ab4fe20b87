// The error contract: AppError codes map to HTTP statuses, zod errors become 422 with
// field paths, and a 500 never leaks its internals.
import { describe, expect, it, beforeAll, vi } from "vitest";
import { logger } from "../logger";
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { AppError, appErrorCodes } from "../errors";
import { handleTrpcRequest } from "./http-handler";
import { callerFor, makeUser } from "../testing/fixtures";
import { createTRPCRouter, publicProcedure, createCallerFactory } from "./init";
import { createContext, type Actor } from "./context";
import { errorResponse } from "../http/error-response";

const base = "http://test.local/api/trpc";
const call = (path: string, init: RequestInit & { actor?: Actor | null } = {}) =>
  handleTrpcRequest(new Request(`${base}/${path}`, init), { actor: init.actor ?? null, requestId: "req-test-1", ip: "127.0.0.1" });

let admin: Actor;
let rep: Actor;
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  rep = await makeUser("REP");
});

describe("AppError", () => {
  it("maps every code to its HTTP status", () => {
    expect(appErrorCodes).toMatchObject({ BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, VALIDATION: 422, RATE_LIMITED: 429, INTERNAL: 500 });
    expect(new AppError("CONFLICT", "x").httpStatus).toBe(409);
  });

  it("route handlers answer {error:{code,message}} with the status and Retry-After", async () => {
    const res = errorResponse(new AppError("RATE_LIMITED", "slow down", { retryAfter: 7 }), "rid");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toEqual({ error: { code: "RATE_LIMITED", message: "slow down" } });
  });

  it("route handlers mask unknown errors as INTERNAL with only the request id", async () => {
    const res = errorResponse(new Error('relation "secret_table" does not exist'), "rid-42");
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe("INTERNAL");
    expect(JSON.stringify(body)).not.toContain("secret_table");
    expect(body.error.message).toContain("rid-42");
  });
});

describe("tRPC over HTTP", () => {
  it("answers 401 to an anonymous call of a protected procedure", async () => {
    const res = await call("system.me");
    expect(res.status).toBe(401);
  });

  it("answers 403 to a rep calling an admin procedure", async () => {
    const res = await call("users.list", { actor: rep });
    expect(res.status).toBe(403);
  });

  it("answers 200 to an admin calling an admin procedure", async () => {
    const res = await call("users.list", { actor: admin });
    expect(res.status).toBe(200);
  });

  it("answers 404 to an unknown procedure", async () => {
    const res = await call("nope.missing", { actor: admin });
    expect(res.status).toBe(404);
  });

  it("answers 400 to a malformed JSON body", async () => {
    const res = await call("users.create", { actor: admin, method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
  });

  it("answers 422 with field paths to invalid input", async () => {
    const res = await call("users.create", {
      actor: admin,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: "x".repeat(10_000), name: "", password: "short", role: "KING" } }),
    });
    expect(res.status).toBe(422);
    const body = await res.json();
    const fields = body.error.json.data.fieldErrors;
    expect(Object.keys(fields).sort()).toEqual(["email", "name", "password", "role"]);
  });

  it("treats SQL-looking input as plain data", async () => {
    const res = await call("users.create", {
      actor: admin,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: `or1eq1-${Date.now()}@ex.com`, name: "Robert'); DROP TABLE \"User\";--", password: "longenough1", role: "REP" } }),
    });
    expect(res.status).toBe(200);
    const again = await call("users.list", { actor: admin });
    const body = await again.json();
    expect(body.result.data.json.some((u: { name: string }) => u.name.includes("DROP TABLE"))).toBe(true);
  });

  it("answers 413 to an oversized body", async () => {
    const res = await call("users.create", { actor: admin, method: "POST", headers: { "content-type": "application/json", "content-length": "5000000" }, body: "{}" });
    expect(res.status).toBe(413);
  });

  it("answers 413 to a body that declares no length and streams past the limit, and still takes a small streamed one", async () => {
    const stream = (bytes: Uint8Array, chunk = 64 * 1024) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.subarray(i, i + chunk));
          c.close();
        },
      });
    const email = `streamed-${Date.now()}@ex.com`;
    const big = new TextEncoder().encode(JSON.stringify({ json: { email, name: "Big", password: "brick-lantern-9", role: "REP", pad: "x".repeat(1_100_000) } }));
    const tooBig = await call("users.create", { actor: admin, method: "POST", headers: { "content-type": "application/json" }, body: stream(big), duplex: "half" } as RequestInit);
    expect(tooBig.status).toBe(413);
    const small = new TextEncoder().encode(JSON.stringify({ json: { email, name: "Small", password: "brick-lantern-9", role: "REP" } }));
    const ok = await call("users.create", { actor: admin, method: "POST", headers: { "content-type": "application/json" }, body: stream(small, 7), duplex: "half" } as RequestInit);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { data: { json: { name: string } } } }).result.data.json.name).toBe("Small");
  });

  it("answers 409 with the AppError message to a duplicate user", async () => {
    const email = `dup-${Date.now()}@ex.com`;
    const c = callerFor(admin);
    await c.users.create({ email, name: "A", password: "brick-lantern-9", role: "REP" });
    await expect(c.users.create({ email: email.toUpperCase(), name: "B", password: "brick-lantern-9", role: "REP" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("masking of internal errors", () => {
  const t = createTRPCRouter({
    boom: publicProcedure.query(() => {
      throw new Error("SELECT * FROM secrets WHERE password = 'hunter2'");
    }),
    limited: publicProcedure.query(() => {
      throw new AppError("RATE_LIMITED", "wait", { retryAfter: 3 });
    }),
    typed: publicProcedure.input(z.object({ n: z.number().int() })).query(({ input }) => input.n),
    dbDown: publicProcedure.query(() => {
      throw Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" });
    }),
  });
  const caller = createCallerFactory(t)(createContext({ requestId: "rid-mask" }));

  it("keeps the original error on the server but a caller sees INTERNAL_SERVER_ERROR", async () => {
    const err = await caller.boom().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("maps AppError RATE_LIMITED to TOO_MANY_REQUESTS", async () => {
    await expect(caller.limited()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("maps a database outage to SERVICE_UNAVAILABLE (503), not a masked 500", async () => {
    await expect(caller.dbDown()).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
  });

  it("maps zod input errors to UNPROCESSABLE_CONTENT", async () => {
    await expect(caller.typed({ n: 1.5 })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
  });
});

describe("logging refused calls", () => {
  it("a 403 or 422 is one info line with who, what and why; a 401 is debug; a success is not logged", async () => {
    const info = vi.spyOn(logger, "info").mockImplementation(() => undefined);
    const debug = vi.spyOn(logger, "debug").mockImplementation(() => undefined);
    try {
      expect((await call("users.list", { actor: rep })).status).toBe(403);
      expect(info).toHaveBeenCalledWith(expect.objectContaining({ requestId: "req-test-1", path: "users.list", code: "FORBIDDEN", userId: rep.id, ip: "127.0.0.1" }), "trpc call refused");
      info.mockClear();
      expect((await call("users.list")).status).toBe(401);
      expect(info).not.toHaveBeenCalled();
      expect(debug).toHaveBeenCalledWith(expect.objectContaining({ path: "users.list", code: "UNAUTHORIZED", userId: null }), "trpc call refused");
      expect((await call("system.me", { actor: rep })).status).toBe(200);
      expect(info).not.toHaveBeenCalled();
    } finally {
      info.mockRestore();
      debug.mockRestore();
    }
  });
});

