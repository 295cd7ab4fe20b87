// A task each worker runs on its own timer rather than as a BullMQ job (so it still runs
// when Redis has lost its data): the campaign supervisor and the lost-job recovery. Never
// two runs at once: a tick that comes while the last run is still going (Redis or the
// database slow or down) is skipped, not stacked. The timer does not keep the process alive.
export interface PeriodicTask {
  /** Runs now, or joins the run in progress. */
  tick(): Promise<void>;
  stop(): void;
  stopped(): boolean;
}

export function startPeriodicTask(everyMs: number, run: () => Promise<unknown>, onError: (err: unknown) => void, opts: { runNow?: boolean } = {}): PeriodicTask {
  let stopped = false;
  let running: Promise<void> | null = null;
  const tick = () =>
    (running ??= run()
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      }));
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, everyMs);
  timer.unref();
  if (opts.runNow) void tick();
  return {
    tick,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    stopped: () => stopped,
  };
}
