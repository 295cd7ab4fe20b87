// The HTTP status of /api/health. A load balancer asks "can this web node serve requests?",
// which needs PostgreSQL and Redis only: a stopped worker delays scans and sends but every
// page still works, and answering 503 for it would take every web node out of rotation at
// once (a background outage turned into a full one). Monitoring that should page on the
// worker asks with ?require=worker.
import type { Health } from "./check-health";

export function healthHttpStatus(health: Pick<Health, "db" | "redis" | "worker">, requireWorker: boolean): 200 | 503 {
  if (health.db !== "ok" || health.redis !== "ok") return 503;
  if (requireWorker && health.worker !== "ok") return 503;
  return 200;
}

export function requiresWorker(url: string): boolean {
  const v = new URL(url, "http://x").searchParams.getAll("require");
  return v.some((x) => x.split(",").includes("worker"));
}
