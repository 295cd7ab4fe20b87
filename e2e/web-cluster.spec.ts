// `npm start` serves the app from several processes behind one port (scripts/start-web.cjs);
// the e2e server runs it with E2E_WEB_CONCURRENCY (2) processes. A metrics scrape lands on
// one of them but must count the requests every process served.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
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

/** The sum over every series of `metric` with these labels: one per web process (`web_process`), as PromQL's sum(). */
function sample(text: string, metric: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

test("a metrics scrape reads every web process: the process count and each request once", async ({ page, signIn, baseURL }) => {
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
  // One series per process, labelled with its slot: a process that restarts resets only its own counters.
  for (let slot = 1; slot <= processes; slot++) expect(sample(before, "sales_agent_web_processes", { web_process: String(slot) })).toBe(1);

  const url = `${baseURL}/api/trpc/contacts.owners`;
  const N = 20;
  for (let i = 0; i < N; i++) expect(await getOnNewConnection(url, cookie)).toBe(200);

  // Whichever process answers the scrape, it reports all N requests: not only its own share.
  for (let i = 0; i < 3; i++) {
    const after = await scrape();
    expect(sample(after, metric, route) - sample(before, metric, route)).toBe(N);
  }
});

/** A second launcher over the same build, on its own port, so the shared e2e server is untouched. */
function startLauncher(port: number, env: Record<string, string> = {}) {
  const primary = spawn(process.execPath, ["scripts/start-web.cjs"], { env: { ...process.env, PORT: String(port), WEB_CONCURRENCY: "2", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const log = { out: "" };
  primary.stdout!.on("data", (d) => (log.out += d));
  primary.stderr!.on("data", (d) => (log.out += d));
  const children = () => {
    try {
      return execFileSync("ps", ["-o", "pid=", "--ppid", String(primary.pid)], { encoding: "utf8" }).split("\n").map((s) => Number(s.trim())).filter(Boolean);
    } catch {
      return []; // ps exits 1 when there are none
    }
  };
  return { primary, log, children };
}

/** Running, i.e. neither gone nor a zombie waiting for a parent (PID 1 here) to reap it. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

test("the launcher replaces a web process that dies, keeps answering meanwhile, and stops all on SIGTERM", async () => {
  test.setTimeout(120_000);
  const port = Number(process.env.E2E_PORT ?? 3100) + 50;
  const { primary, log, children } = startLauncher(port);
  const url = `http://localhost:${port}/login`;
  try {
    await expect.poll(() => log.out.includes("ready on"), { timeout: 60_000 }).toBe(true);
    const before = children();
    expect(before).toHaveLength(2);

    process.kill(before[0], "SIGKILL");
    await expect.poll(() => log.out.includes("web process exited; starting another"), { timeout: 10_000 }).toBe(true);
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
    for (const pid of last) expect(alive(pid)).toBe(false); // no web process outlives it
  } finally {
    if (primary.exitCode === null) primary.kill("SIGKILL");
  }
});

test("web processes leave when the launcher's primary is killed outright (SIGKILL)", async () => {
  test.setTimeout(90_000);
  const { primary, log, children } = startLauncher(Number(process.env.E2E_PORT ?? 3100) + 51);
  try {
    await expect.poll(() => log.out.includes("ready on"), { timeout: 60_000 }).toBe(true);
    const workers = children();
    expect(workers).toHaveLength(2);
    primary.kill("SIGKILL");
    // Without their primary they would hold database connections and serve nothing.
    await expect.poll(() => workers.filter(alive).length, { timeout: 20_000 }).toBe(0);
  } finally {
    if (primary.exitCode === null) primary.kill("SIGKILL");
  }
});

test("WEB_TRPC_VIA_NEXT=1 sends tRPC through Next's route, with the same answers as the direct path", async ({ page, signIn, baseURL }) => {
  test.setTimeout(90_000);
  const port = Number(process.env.E2E_PORT ?? 3100) + 52;
  const { primary, log } = startLauncher(port, { WEB_CONCURRENCY: "1", WEB_TRPC_VIA_NEXT: "1" });
  try {
    await signIn("rep");
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await expect.poll(() => log.out.includes("ready on"), { timeout: 60_000 }).toBe(true);
    const get = (base: string, path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
    for (const [path, headers, status] of [
      ["/api/trpc/system.me", { cookie }, 200],
      ["/api/trpc/system.me", {}, 401],
      ["/api/trpc/users.list", { cookie }, 403],
      ["/api/trpc/no.such", { cookie }, 404],
    ] as const) {
      const [direct, viaNext] = await Promise.all([get(baseURL!, path, headers), get(`http://localhost:${port}`, path, headers)]);
      expect([direct.status, viaNext.status], path).toEqual([status, status]);
      const body = (r: unknown) => JSON.stringify(r).replace(/"requestId":"[^"]+"/g, "");
      expect(body(await viaNext.json()), path).toBe(body(await direct.json()));
      expect(viaNext.headers.get("content-security-policy")).toBe(direct.headers.get("content-security-policy"));
    }
    // It really went through Next this time: its router adds its own Vary entries.
    expect((await get(`http://localhost:${port}`, "/api/trpc/system.me")).headers.get("vary")).toMatch(/\brsc\b/);
  } finally {
    if (primary.exitCode === null) primary.kill("SIGTERM");
  }
});
