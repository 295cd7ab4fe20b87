// HTTP latency by route for the web process (prom-client's default registry).
import client from "prom-client";

const globalForMetrics = globalThis as unknown as { __saHttpHistogram?: client.Histogram<"route" | "method" | "status"> };

export function httpHistogram(): client.Histogram<"route" | "method" | "status"> {
  return (globalForMetrics.__saHttpHistogram ??= new client.Histogram({
    name: "sales_agent_http_request_duration_seconds",
    help: "HTTP request latency by route",
    labelNames: ["route", "method", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }));
}

/** Times a route handler; `route` is the route pattern, never the raw URL (bounded labels). */
export async function timed(route: string, method: string, run: () => Promise<Response>): Promise<Response> {
  const end = httpHistogram().startTimer({ route, method });
  try {
    const res = await run();
    end({ status: String(res.status) });
    return res;
  } catch (e) {
    end({ status: "500" });
    throw e;
  }
}
