// `npm start` serves the app from several processes behind one port (scripts/start-web.ts);
// the e2e server runs it with E2E_WEB_CONCURRENCY (2) processes. A metrics scrape lands on
// one of them but must count the requests every process served.
import http from "node:http";
import { test, expect } from "./fixtures";

const processes = Number(process.env.E2E_WEB_CONCURRENCY ?? 2);

/** GET on a fresh TCP connection each time, so the primary hands them round-robin to the processes. */
function getOnNewConnection(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { cookie }, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
}

function sample(text: string, metric: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

test("a metrics scrape sums every web process: the process count and each request once", async ({ page, signIn, baseURL }) => {
  await signIn("admin");
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const scrape = async () => {
    const r = await page.request.get("/api/metrics");
    expect(r.status()).toBe(200);
    return r.text();
  };
  const route = { route: "/api/trpc/contacts.owners", method: "GET", status: "200" };
  const metric = "sales_agent_http_request_duration_seconds_count";

  const before = await scrape();
  expect(sample(before, "sales_agent_web_processes", {})).toBe(processes);

  const url = `${baseURL}/api/trpc/contacts.owners`;
  const N = 20;
  for (let i = 0; i < N; i++) expect(await getOnNewConnection(url, cookie)).toBe(200);

  // Whichever process answers the scrape, it reports all N requests: not only its own share.
  for (let i = 0; i < 3; i++) {
    const after = await scrape();
    expect(sample(after, metric, route) - sample(before, metric, route)).toBe(N);
  }
});

test("the launcher replaces a web process that dies, keeps answering meanwhile, and stops all on SIGTERM", async () => {
  test.setTimeout(120_000);
  // A second launcher over the same build, on its own port, so the shared e2e server is untouched.
  const { spawn, execFileSync } = await import("node:child_process");
  const port = Number(process.env.E2E_PORT ?? 3100) + 50;
  const primary = spawn(process.execPath, ["--import", "tsx", "scripts/start-web.ts"], { env: { ...process.env, PORT: String(port), WEB_CONCURRENCY: "2" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  primary.stdout!.on("data", (d) => (out += d));
  primary.stderr!.on("data", (d) => (out += d));
  const children = () => execFileSync("ps", ["-o", "pid=", "--ppid", String(primary.pid)], { encoding: "utf8" }).split("\n").map((s) => Number(s.trim())).filter(Boolean);
  const url = `http://localhost:${port}/login`;
  try {
    await expect.poll(() => out.includes("ready on"), { timeout: 60_000 }).toBe(true);
    const before = children();
    expect(before).toHaveLength(2);

    process.kill(before[0], "SIGKILL");
    await expect.poll(() => out.includes("web process exited; starting another"), { timeout: 10_000 }).toBe(true);
    // The surviving process serves every new connection while the replacement starts.
    for (let i = 0; i < 10; i++) expect(await getOnNewConnection(url, "")).toBe(200);

    await expect.poll(() => children().filter((p) => !before.includes(p)).length, { timeout: 60_000 }).toBe(1);
    expect(children()).toHaveLength(2);
    expect(children()).toContain(before[1]);
    for (let i = 0; i < 10; i++) expect(await getOnNewConnection(url, "")).toBe(200);

    const exited = new Promise<number | null>((r) => primary.once("exit", (code) => r(code)));
    const last = children();
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of last) expect(() => process.kill(pid, 0)).toThrow(); // no web process outlives it
  } finally {
    if (primary.exitCode === null) primary.kill("SIGKILL");
  }
});
