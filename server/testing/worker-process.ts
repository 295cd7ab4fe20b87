// Starts the real worker process (`tsx worker/index.ts`) for integration tests.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { OCR_MALLOC_ENV } from "../ocr/malloc-env";

const ROOT = path.resolve(__dirname, "../..");

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnWorker(extraEnv: Record<string, string> = {}): WorkerProcess {
  let out = "";
  // `node --import tsx` runs the worker in this one process (no tsx relay in between),
  // so signals reach it directly, as under a process manager.
  const child = spawn(process.execPath, ["--import", "tsx", "worker/index.ts"], {
    cwd: ROOT,
    // OCR_MALLOC_ENV: the worker runs with the malloc settings of `npm run worker` (server/ocr/malloc-env.ts).
    // LOST_JOB_CHECK_MS: the shared test database holds other files' scans left QUEUED with no
    // job on purpose; a worker under test must not go and OCR them. Tests of the recovery
    // itself set it (with a database of their own).
    env: { ...OCR_MALLOC_ENV, ...process.env, SA_SERVICE: "worker", LOG_LEVEL: "info", LOST_JOB_CHECK_MS: "3600000", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  return {
    child,
    output: () => out,
    stop(signal = "SIGTERM") {
      return new Promise((resolve) => {
        // A process killed by a signal has exitCode null but a signalCode: don't wait for its exit again.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

/** Still running: neither exited nor killed by a signal. */
export const alive = (w: WorkerProcess) => w.child.exitCode === null && w.child.signalCode === null;

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
