// `npm run worker` under a process manager: the manager signals the process it started (npm),
// and the node worker must get that SIGTERM and drain, not be orphaned and keep sending
// (operations review F1). package.json's script `exec`s node, so the shell in between is
// replaced by it and npm's signal forwarding reaches the worker itself.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { filePrefix } from "../server/faults/fault-helpers";
import { waitFor } from "../server/testing/worker-process";

const ROOT = path.resolve(__dirname, "..");
const SHUTDOWN_MS = 5_000;
// worker/index.ts exits by itself at the latest SHUTDOWN_MS + 5 s after the signal.
const BOUND_MS = SHUTDOWN_MS + 5_000;

/** Parent pid of a live process, from /proc (Linux). */
function ppidOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/** The node process running the worker (not a shell whose command line mentions it). */
const isNodeWorker = (pid: number) => {
  const argv = argvOf(pid);
  return path.basename(argv[0] ?? "") === "node" && argv.includes("worker/index.ts");
};

/** Every process below `root` (children, grandchildren …). */
function descendantsOf(root: number): number[] {
  const pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const pid of pids) if (ppidOf(pid) === parent) (found.push(pid), queue.push(pid));
  }
  return found;
}

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let npm: ChildProcess | undefined;
let workerPid: number | undefined;

afterAll(() => {
  // Only what this file started.
  if (workerPid && running(workerPid) && isNodeWorker(workerPid)) process.kill(workerPid, "SIGKILL");
  if (npm && npm.exitCode === null && npm.signalCode === null) npm.kill("SIGKILL");
});

describe.skipIf(process.platform !== "linux")("npm run worker", () => {
  it("passes SIGTERM sent to npm on to the node worker, which drains and exits within its bound", async () => {
    let out = "";
    npm = spawn("npm", ["run", "--silent", "worker"], {
      cwd: ROOT,
      env: {
        ...process.env,
        QUEUE_PREFIX: filePrefix(process.env.QUEUE_PREFIX ?? "{sa-test}", "npmterm"),
        LOG_LEVEL: "info",
        LOST_JOB_CHECK_MS: "3600000", // the shared test database's unfinished rows are not this worker's business
        WORKER_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS),
        OCR_WORKERS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    npm.stdout!.on("data", (d) => (out += d));
    npm.stderr!.on("data", (d) => (out += d));
    const npmExited = new Promise<void>((r) => npm!.once("exit", () => r()));

    await waitFor(async () => out.includes("worker started") || npm!.exitCode !== null, "worker started", 60_000, 100);
    expect(out).toContain("worker started");
    workerPid = descendantsOf(npm.pid!).find(isNodeWorker);
    expect(workerPid, `node worker below npm (${npm.pid}); output:\n${out}`).toBeDefined();
    // exec: no shell left between npm and node.
    expect(ppidOf(workerPid!)).toBe(npm.pid);

    const sentAt = Date.now();
    npm.kill("SIGTERM"); // what Docker (npm as PID 1), supervisord or systemd KillMode=process do
    await waitFor(async () => !running(workerPid!), "the node worker to exit", BOUND_MS + 2_000, 50);
    expect(Date.now() - sentAt).toBeLessThan(BOUND_MS);
    expect(out).toContain("worker shutting down");
    expect(out).toContain("worker stopped");
    await npmExited;
  }, 120_000);
});
