// What the web's cluster launcher (scripts/start-web.cjs) and the app share, in plain JavaScript:
// the launcher runs under bare `node`, because a TypeScript loader (tsx) hooked into every
// require() of Next's server made each request cost far more CPU (see scripts/start-web.cjs).
"use strict";
const { monitorEventLoopDelay } = require("node:perf_hooks");
const client = require("prom-client");

/** A web process asks the primary for the metrics of every process (one series per process: `web_process`)… */
const METRICS_REQUEST = "sa:metrics-request";
/** …and gets them back under the same id. */
const METRICS_RESPONSE = "sa:metrics-response";

const flag = globalThis;
const PREFIX = "sales_agent_web_";

/**
 * Node's default metrics (CPU, memory, event-loop lag, GC) for a web process, plus a gauge of 1
 * that, summed over the cluster, says how many processes answered a scrape. Registered once per
 * process: the launcher does it at start, so every process has them before any scrape, and the
 * app's copy of this module (bundled by Next) then finds the flag on globalThis and skips it.
 */
function ensureWebDefaultMetrics() {
  if (flag.__saDefaultMetrics) return;
  // Under the cluster launcher every series carries its process's slot (scripts/start-web.cjs says why); sum them
  // in PromQL after rate(). A single process (next start, next dev, tests) has no such label.
  if (process.env.WEB_PROCESS_SLOT) client.register.setDefaultLabels({ web_process: process.env.WEB_PROCESS_SLOT });
  client.collectDefaultMetrics({ prefix: PREFIX });
  // Taken after registration: the microseconds registration took are counted twice rather
  // than lost, so the counter is never below the process's real CPU total.
  countCpuUsedBefore(process.cpuUsage());
  replaceEventLoopDelayGauges();
  new client.Gauge({ name: "sales_agent_web_processes", help: "1 for each web server process this scrape read (sum() them for the count)", aggregator: "sum" }).set(1);
  flag.__saDefaultMetrics = true;
}

/**
 * prom-client's CPU counters start at 0 when collectDefaultMetrics is called: where that
 * happens on the first scrape (`next start`, `next dev`: renderMetrics registers them lazily),
 * `process_cpu_seconds_total` said 0.0035 for a process that had been busy for minutes. A
 * process's CPU counter is its total since it started (what Prometheus and the other
 * exporters mean by it), so the CPU used before registration is added once.
 * @param {NodeJS.CpuUsage} before process.cpuUsage() taken right after registration
 */
function countCpuUsedBefore(before) {
  /** @type {[string, number][]} */
  const add = [
    ["process_cpu_user_seconds_total", before.user],
    ["process_cpu_system_seconds_total", before.system],
    ["process_cpu_seconds_total", before.user + before.system],
  ];
  for (const [name, micros] of add) {
    const counter = /** @type {import("prom-client").Counter | undefined} */ (client.register.getSingleMetric(PREFIX + name));
    counter?.inc(micros / 1e6);
  }
}

/**
 * prom-client's event-loop delay gauges (min, max, mean, stddev, p50/p90/p99) read a
 * perf_hooks histogram and reset it on every scrape. A scrape with no sample since the
 * previous one (the first scrape right after registration, or two scrapes within the 10 ms
 * sampling interval) then reported the empty histogram: min 9223372036.854776 s (2^63 ns),
 * mean and stddev NaN, and NaN poisons the `average` the cluster sum uses for the other
 * processes too. These replacements keep the same names and the same meaning ("since the
 * previous scrape"), but a scrape with no new sample repeats the last window that had one,
 * and a process with no window yet exports no sample at all (HELP/TYPE only) rather than a
 * made-up value. In a cluster a process without a sample simply drops out of the min/max/average.
 */
function replaceEventLoopDelayGauges() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  /** @type {Record<string, number> | null} */
  let last = null;
  /** @type {[string, string, "min" | "max" | "average", (h: import("node:perf_hooks").IntervalHistogram) => number][]} */
  const stats = [
    ["min", "The minimum recorded event loop delay.", "min", (h) => h.min],
    ["max", "The maximum recorded event loop delay.", "max", (h) => h.max],
    ["mean", "The mean of the recorded event loop delays.", "average", (h) => h.mean],
    ["stddev", "The standard deviation of the recorded event loop delays.", "average", (h) => h.stddev],
    ["p50", "The 50th percentile of the recorded event loop delays.", "average", (h) => h.percentile(50)],
    ["p90", "The 90th percentile of the recorded event loop delays.", "average", (h) => h.percentile(90)],
    ["p99", "The 99th percentile of the recorded event loop delays.", "average", (h) => h.percentile(99)],
  ];
  // A scrape reads every metric in one synchronous pass, so the first of these to be read
  // takes the window and resets the histogram, and the others read the same window.
  const refresh = () => {
    if (histogram.count === 0) return;
    last = Object.fromEntries(stats.map(([stat, , , read]) => [stat, read(histogram) / 1e9]));
    histogram.reset();
  };
  for (const [stat, help, aggregator] of stats) {
    const name = `${PREFIX}nodejs_eventloop_lag_${stat}_seconds`;
    client.register.removeSingleMetric(name);
    const snapshot = () => ({ name, help, type: /** @type {const} */ ("gauge"), aggregator, values: last ? [{ value: last[stat], labels: {} }] : [] });
    // A minimal metric object: the registry only calls get() (for the text and for the JSON the cluster sums).
    client.register.registerMetric(/** @type {any} */ ({ name, help, type: "gauge", aggregator, get: async () => (refresh(), snapshot()) }));
  }
}

module.exports = { METRICS_REQUEST, METRICS_RESPONSE, ensureWebDefaultMetrics };
