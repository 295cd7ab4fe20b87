// `npm audit --omit=dev`: fail on high or critical advisories that have a fix. When the
// registry's audit endpoint cannot be reached (offline mirrors, or a registry proxy that
// answers 405 to its POST, as on our CI machine), say so and go on, unless AUDIT_REQUIRED=1
// makes an unreachable endpoint a failure too (for CI that can reach the registry).
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export interface AuditResult { status: "ok" | "failed" | "unavailable"; findings: string[]; note?: string }

interface NpmAuditJson {
  vulnerabilities?: Record<string, { severity?: string; fixAvailable?: unknown }>;
  message?: string;
  error?: { summary?: string };
}

/** fixAvailable is true, false, or { name, version, isSemVerMajor } naming the fix. */
function fixTarget(fix: unknown): string {
  if (!fix || typeof fix !== "object") return "";
  const { name, version } = fix as { name?: unknown; version?: unknown };
  return typeof name === "string" ? `: ${name}@${typeof version === "string" ? version : "?"}` : "";
}

/** Reads `npm audit --json` output (report version 2). Pure, so it is tested on recorded reports. */
export function assessAuditReport(stdout: string): AuditResult {
  let report: NpmAuditJson;
  try {
    report = JSON.parse(stdout || "{}") as NpmAuditJson;
  } catch {
    return { status: "unavailable", findings: [], note: "npm audit printed no JSON" };
  }
  if (!report || typeof report !== "object" || !report.vulnerabilities || typeof report.vulnerabilities !== "object") {
    return { status: "unavailable", findings: [], note: report?.message ?? report?.error?.summary ?? "the audit endpoint did not answer" };
  }
  const findings = Object.entries(report.vulnerabilities)
    .filter(([, v]) => (v.severity === "high" || v.severity === "critical") && !!v.fixAvailable)
    .map(([name, v]) => `${name}: ${v.severity} (fix available${fixTarget(v.fixAvailable)})`)
    .sort();
  return { status: findings.length ? "failed" : "ok", findings };
}

export function auditProductionDependencies(): AuditResult {
  const r = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  const result = assessAuditReport(r.stdout);
  if (result.status === "unavailable" && process.env.AUDIT_REQUIRED === "1") {
    return { status: "failed", findings: [`the audit could not run (${result.note}) and AUDIT_REQUIRED=1`] };
  }
  return result;
}
