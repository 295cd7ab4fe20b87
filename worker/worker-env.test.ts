// A production worker with a bad environment refuses to start, with the reason on one line, and
// never gets as far as taking jobs (operations review F2 and F6): without NEXTAUTH_URL it would
// mail unsubscribe links pointing at http://localhost:3000; without the web's NEXTAUTH_SECRET the
// links it signs would be refused by the web.
import { describe, expect, it } from "vitest";
import { filePrefix } from "../server/faults/fault-helpers";
import { spawnWorker, waitFor } from "../server/testing/worker-process";

const GOOD = { NODE_ENV: "production", NEXTAUTH_SECRET: "worker-env-test-secret-0123456789", NEXTAUTH_URL: "https://sales.example.test" };

async function startWith(env: Record<string, string>) {
  const w = spawnWorker({ QUEUE_PREFIX: filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "envcheck"), ...GOOD, ...env });
  try {
    await waitFor(async () => w.child.exitCode !== null || w.child.signalCode !== null || w.output().includes("worker started"), "worker to exit", 30_000, 50);
    return { code: w.child.exitCode, out: w.output() };
  } finally {
    await w.stop("SIGKILL");
  }
}

describe("worker start-up in production", () => {
  it.each([
    ["without NEXTAUTH_URL", { NEXTAUTH_URL: "" }, "NEXTAUTH_URL is required in production"],
    ["without NEXTAUTH_SECRET", { NEXTAUTH_SECRET: "" }, "NEXTAUTH_SECRET is required in production"],
    ["with a NEXTAUTH_SECRET under 16 characters", { NEXTAUTH_SECRET: "too-short" }, "NEXTAUTH_SECRET: Too small"],
  ])("refuses to start %s, exit 1, one log line naming it", async (_what, env, message) => {
    const { code, out } = await startWith(env);
    expect(code).toBe(1);
    expect(out).not.toContain("worker started");
    const lines = out.trim().split("\n").filter((l) => l.includes(message));
    expect(lines, out).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 60, msg: "worker failed to start" });
  });
});
