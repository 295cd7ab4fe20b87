// The web launcher refuses bad settings before it starts any process: a clear reason on
// stderr and exit code 2, instead of NaN ports or a fork bomb, or a server that says "ready"
// and then answers 500 to everything because the production secret or URL is missing.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";

const LAUNCHER = path.resolve(__dirname, "start-web.cjs");

// A valid production secret and URL unless a test says otherwise.
const GOOD = { NEXTAUTH_SECRET: "launcher-test-secret-0123456789", NEXTAUTH_URL: "https://sales.example.test" };

function launch(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [LAUNCHER], { env: { ...process.env, PORT: "3199", ...GOOD, ...env }, encoding: "utf8", timeout: 20_000 });
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

  it.each([
    ["missing", "", "NEXTAUTH_SECRET is required in production"],
    ["too short", "short-secret", "NEXTAUTH_SECRET is too short (at least 16 characters) in production"],
  ])("refuses to start with NEXTAUTH_SECRET %s, in one line", (_what, value, message) => {
    // WEB_TRPC_VIA_NEXT=1: no build needed, the check must come before anything is started.
    const r = launch({ WEB_CONCURRENCY: "1", WEB_TRPC_VIA_NEXT: "1", NEXTAUTH_SECRET: value });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).not.toContain("starting");
  });

  it.each([
    ["", "NEXTAUTH_URL is required in production"],
    ["not a url", 'NEXTAUTH_URL must be an http(s) URL, got "not a url"'],
    ["ftp://x.example", "NEXTAUTH_URL must be an http(s) URL"],
  ])("refuses to start with NEXTAUTH_URL=%j", (value, message) => {
    const r = launch({ WEB_CONCURRENCY: "1", WEB_TRPC_VIA_NEXT: "1", NEXTAUTH_URL: value });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).not.toContain("starting");
  });

  it.each(["-1", "abc", "1.5", "21", "1; rm -rf /"])("refuses TRUST_PROXY_HOPS=%j", (value) => {
    const r = launch({ WEB_CONCURRENCY: "1", WEB_TRPC_VIA_NEXT: "1", TRUST_PROXY_HOPS: value });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("TRUST_PROXY_HOPS must be a whole number from 0 to 20");
    expect(r.stdout).not.toContain("starting");
  });

  it("quotes at most 40 characters of a huge value back", () => {
    const r = launch({ WEB_CONCURRENCY: "x".repeat(100_000) });
    expect(r.status).toBe(2);
    expect(r.stderr.length).toBeLessThan(200);
  });
});
