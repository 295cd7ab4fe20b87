// A 500 over HTTP: no message, stack or SQL reaches the client, only the request id.
import { describe, expect, it } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTRPCRouter, publicProcedure } from "./init";
import { createContext } from "./context";

const router = createTRPCRouter({
  boom: publicProcedure.query(() => {
    throw new Error('duplicate key value violates unique constraint "User_email_key" at /srv/app/db.ts:12');
  }),
});

describe("500 masking over HTTP", () => {
  it("sends a generic message with the request id and no internals", async () => {
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://t.local/api/trpc/boom"),
      router,
      createContext: () => createContext({ requestId: "rid-500" }),
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("User_email_key");
    expect(text).not.toContain("db.ts");
    expect(text).not.toContain("stack");
    expect(text).toContain("rid-500");
  });
});
