// Node's default metrics (CPU, memory, event-loop lag, GC) for a web process, registered once
// per process. The flag lives on globalThis because the clustered launcher (scripts/start-web.ts)
// registers them at start, so every process has them before any scrape, and the app's own
// copy of this module (bundled by Next) must then not register them a second time.
import client from "prom-client";

const flag = globalThis as unknown as { __saDefaultMetrics?: boolean };

export function ensureWebDefaultMetrics(): void {
  if (flag.__saDefaultMetrics) return;
  client.collectDefaultMetrics({ prefix: "sales_agent_web_" });
  // 1 per process; summed over the cluster it says how many web processes answered the scrape.
  new client.Gauge({ name: "sales_agent_web_processes", help: "Web server processes whose metrics this scrape sums", aggregator: "sum" }).set(1);
  flag.__saDefaultMetrics = true;
}
