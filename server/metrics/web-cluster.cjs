// What the web's cluster launcher (scripts/start-web.cjs) and the app share, in plain JavaScript:
// the launcher runs under bare `node`, because a TypeScript loader (tsx) hooked into every
// require() of Next's server made each request cost far more CPU (see scripts/start-web.cjs).
"use strict";
const client = require("prom-client");

/** A web process asks the primary for metrics summed over every process… */
const METRICS_REQUEST = "sa:metrics-request";
/** …and gets them back under the same id. */
const METRICS_RESPONSE = "sa:metrics-response";

const flag = globalThis;

/**
 * Node's default metrics (CPU, memory, event-loop lag, GC) for a web process, plus a gauge of 1
 * that, summed over the cluster, says how many processes answered a scrape. Registered once per
 * process: the launcher does it at start, so every process has them before any scrape, and the
 * app's copy of this module (bundled by Next) then finds the flag on globalThis and skips it.
 */
function ensureWebDefaultMetrics() {
  if (flag.__saDefaultMetrics) return;
  client.collectDefaultMetrics({ prefix: "sales_agent_web_" });
  new client.Gauge({ name: "sales_agent_web_processes", help: "Web server processes whose metrics this scrape sums", aggregator: "sum" }).set(1);
  flag.__saDefaultMetrics = true;
}

module.exports = { METRICS_REQUEST, METRICS_RESPONSE, ensureWebDefaultMetrics };
