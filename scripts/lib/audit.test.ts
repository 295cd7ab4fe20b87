// The CI audit step's verdict on recorded `npm audit --omit=dev --json` reports.
import { describe, expect, it } from "vitest";
import { assessAuditReport } from "./audit";

const report = (vulnerabilities: Record<string, unknown>) => JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: {} });

describe("assessAuditReport", () => {
  it("fails on a high or critical advisory that has a fix, naming the package and the fix", () => {
    const r = assessAuditReport(report({
      "next": { name: "next", severity: "critical", via: [{ title: "SSRF" }], fixAvailable: { name: "next", version: "16.4.7", isSemVerMajor: false } },
      "semver": { name: "semver", severity: "high", via: [], fixAvailable: true },
    }));
    expect(r.status).toBe("failed");
    expect(r.findings).toEqual(["next: critical (fix available: next@16.4.7)", "semver: high (fix available)"]);
  });

  it("passes when the advisories are below high, or have no fix yet", () => {
    const r = assessAuditReport(report({
      "a": { severity: "moderate", fixAvailable: true },
      "b": { severity: "low", fixAvailable: true },
      "c": { severity: "critical", fixAvailable: false },
      "d": { severity: "high", fixAvailable: false },
    }));
    expect(r).toEqual({ status: "ok", findings: [] });
    expect(assessAuditReport(report({})).status).toBe("ok");
  });

  it("reports 'unavailable' (not 'ok') when the endpoint refuses, as the registry here answers 405", () => {
    const refused = JSON.stringify({ message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk", statusCode: 405, body: "" });
    expect(assessAuditReport(refused)).toMatchObject({ status: "unavailable", note: expect.stringContaining("405") });
    expect(assessAuditReport(JSON.stringify({ error: { code: "ENOAUDIT", summary: "Your configured registry does not support audit requests." } }))).toMatchObject({ status: "unavailable", note: expect.stringContaining("does not support audit") });
  });

  it.each([["empty output", ""], ["not JSON", "npm ERR! something"], ["JSON null", "null"], ["vulnerabilities not an object", JSON.stringify({ vulnerabilities: 3 })]])("never calls %s a pass", (_n, out) => {
    expect(assessAuditReport(out).status).toBe("unavailable");
  });
});
