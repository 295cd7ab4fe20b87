// The web launcher refuses bad settings before it starts any process: a clear reason on
// stderr and exit code 2, instead of NaN ports or a fork bomb.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";

const LAUNCHER = path.resolve(__dirname, "start-web.cjs");

function launch(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [LAUNCHER], { env: { ...process.env, PORT: "3199", ...env }, encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("scripts/start-web.cjs settings", () => {
  it.each(["0", "-1", "abc", "1.5", "65", "1e3", "0x10", "9".repeat(400), "2; rm -rf /"])("refuses WEB_CONCURRENCY=%j", (value) => {
    const r = launch({ WEB_CONCURRENCY: value });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("WEB_CONCURRENCY must be a whole number from 1 to 64");
    expect(r.stdout).not.toContain("starting"); // no process was started
  });

  it.each(["abc", "0", "70000", "-80", "80; rm -rf /", "3000.5"])("refuses PORT=%j", (value) => {
    const r = launch({ PORT: value, WEB_CONCURRENCY: "1" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("PORT must be a whole number from 1 to 65535");
    expect(r.stdout).not.toContain("starting");
  });

  it("refuses to start from a build without the tRPC bundle, naming the fix", () => {
    const r = launch({ WEB_CONCURRENCY: "1", NEXT_DIST_DIR: `.next-missing-${process.pid}` });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("sales-agent-trpc.cjs is missing: run `npm run build`");
    expect(r.stdout).not.toContain("starting");
  });

  it("quotes at most 40 characters of a huge value back", () => {
    const r = launch({ WEB_CONCURRENCY: "x".repeat(100_000) });
    expect(r.status).toBe(2);
    expect(r.stderr.length).toBeLessThan(200);
  });
});
