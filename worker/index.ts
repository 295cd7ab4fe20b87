// `npm run worker`: the separate BullMQ worker process.
import { SHUTDOWN_BOUND_MS, startWorker } from "./start-worker";
import { logger } from "../server/logger";

async function main() {
  const worker = await startWorker();
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal while stopping means "now".
    process.once(signal, () => process.exit(1));
    // Hard stop: whatever hangs (a dead Redis, a stuck query), the process ends.
    setTimeout(() => process.exit(1), SHUTDOWN_BOUND_MS + 5_000).unref();
    worker.stop(signal).then(() => process.exit(0), (err) => {
      logger.error({ err }, "shutdown failed");
      process.exit(1);
    });
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

main().catch((err) => {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, "worker failed to start");
  process.exit(1);
});
