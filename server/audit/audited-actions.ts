// Which calls the audit log records: every admin mutation (so a new one cannot be forgotten),
// plus the rep mutations the access table marks `audit: true` (deleting and merging contacts).
// Queries are never recorded, except the contact export, which route handlers record themselves.
import { PROCEDURES } from "../security/access-table";

export function isAudited(path: string, type: string): boolean {
  if (type !== "mutation") return false;
  const rule = PROCEDURES[path];
  return !!rule && (rule.access === "admin" || rule.audit === true);
}
