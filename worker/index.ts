// `npm run worker`: the separate BullMQ worker process.
import "../scripts/lib/load-dotenv";
import { shutdownBoundMs, startWorker, type RunningWorker } from "./start-worker";
import { logger } from "../server/logger";
import { StoppedWhileWaiting } from "./wait-for-redis";
import { routeEngineNoise } from "./engine-noise-log";

// Before the OCR threads start: their engine diagnostics become debug log lines, not raw text among the JSON.
routeEngineNoise(logger);

let worker: RunningWorker | undefined;
let stopRequested: NodeJS.Signals | undefined;
// Ends a start-up that is still waiting for Redis (worker/wait-for-redis.ts).
const starting = new AbortController();

function stop(signal: NodeJS.Signals) {
  // Hard stop: whatever hangs (a dead Redis, a stuck query), the process ends.
  setTimeout(() => process.exit(1), shutdownBoundMs() + 15_000).unref();
  if (!worker) {
    // Still starting: main() stops it as soon as it is up, or ends at once if it is waiting for Redis.
    starting.abort();
    return;
  }
  worker.stop(signal).then(
    () => process.exit(0),
    (err) => {
      logger.error({ err }, "shutdown failed");
      process.exit(1);
    },
  );
}

// Handlers go in first, so a signal during start-up is a clean stop, not a kill.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopRequested) process.exit(1); // a second signal means "now"
    stopRequested = signal;
    stop(signal);
  });
}

async function main() {
  worker = await startWorker({ signal: starting.signal });
  if (stopRequested) stop(stopRequested);
}

main().catch((err) => {
  if (err instanceof StoppedWhileWaiting) {
    logger.info({ signal: stopRequested }, "worker stopped before Redis was reachable");
    process.exit(0);
  }
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, "worker failed to start");
  process.exit(1);
});
