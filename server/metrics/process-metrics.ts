// The web tier's own metrics (default Node metrics, HTTP latency by route) in Prometheus text.
//
// Under `npm start` the web runs as several processes (scripts/start-web.cjs, node:cluster):
// a scrape lands on one of them, but must count every request. That process asks the
// primary, which collects each process's registry through prom-client's cluster support
// (AggregatorRegistry): one series per process, labelled `web_process` with its slot, so a
// process that restarts resets only its own counters. A single process (next start, next
// dev, tests) answers alone, without the label.
import cluster from "node:cluster";
import client from "prom-client";
import { METRICS_REQUEST, METRICS_RESPONSE } from "./web-cluster.cjs";

interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

const TIMEOUT_MS = 5_000;
let nextId = 0;

function inCluster(): boolean {
  return cluster.isWorker && typeof process.send === "function";
}

export async function webProcessMetrics(): Promise<string> {
  if (!inCluster()) return client.register.metrics();
  const id = ++nextId;
  return new Promise<string>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      const msg = m as Partial<MetricsResponse>;
      if (msg?.type !== METRICS_RESPONSE || msg.id !== id) return;
      done();
      if (typeof msg.text === "string") resolve(msg.text);
      else reject(new Error(`metrics from the other web processes: ${msg.error ?? "no answer"}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error("metrics from the other web processes: timed out"));
    }, TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      process.off("message", onMessage);
    };
    process.on("message", onMessage);
    process.send!({ type: METRICS_REQUEST, id });
  });
}
