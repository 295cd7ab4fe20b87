// `npm audit --omit=dev`: fail on high or critical advisories that have a fix. When the
// registry's audit endpoint cannot be reached (offline mirrors refuse it), say so and go
// on: the check then runs wherever the endpoint is reachable.
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export interface AuditResult { status: "ok" | "failed" | "unavailable"; findings: string[]; note?: string }

export function auditProductionDependencies(): AuditResult {
  const r = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  let report: { vulnerabilities?: Record<string, { severity: string; fixAvailable: unknown; via: unknown[] }>; message?: string; error?: { summary?: string } };
  try {
    report = JSON.parse(r.stdout || "{}");
  } catch {
    return { status: "unavailable", findings: [], note: "npm audit printed no JSON" };
  }
  if (!report.vulnerabilities) return { status: "unavailable", findings: [], note: report.message ?? report.error?.summary ?? "the audit endpoint did not answer" };
  const findings = Object.entries(report.vulnerabilities)
    .filter(([, v]) => (v.severity === "high" || v.severity === "critical") && v.fixAvailable)
    .map(([name, v]) => `${name}: ${v.severity} (fix available)`);
  return { status: findings.length ? "failed" : "ok", findings };
}
