// What an audit row keeps of a mutation's input and result: enough to say what changed
// ("role: REP", "ids: 12 contacts"), never a secret, and bounded in size so a campaign body
// or a 1,000-id selection cannot bloat the table.
const SECRET_KEY = /pass(word)?|token|secret|api[-_]?key|authorization|cookie/i;
const MAX_STRING = 200;
const MAX_ARRAY = 20;
const MAX_DEPTH = 4;
const MAX_KEYS = 30;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function auditDetails(value: unknown, depth = 0): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean" || typeof value === "number") return Number.isFinite(value as number) || typeof value === "boolean" ? value : String(value);
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ARRAY).map((v) => auditDetails(v, depth + 1));
    return value.length > MAX_ARRAY ? [...kept, `… ${value.length - MAX_ARRAY} more (${value.length} in all)`] : kept;
  }
  if (typeof value === "object") {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_KEYS)) {
      out[k] = SECRET_KEY.test(k) ? (v === undefined || v === null || v === "" ? null : "[redacted]") : auditDetails(v, depth + 1);
    }
    return out;
  }
  return null; // functions, symbols: nothing to keep
}

/** The flat, small facts of a mutation's result worth keeping (counts, statuses, ids). */
export function resultFacts(result: unknown): Record<string, Json> | undefined {
  if (!result || typeof result !== "object" || Array.isArray(result)) return undefined;
  const facts: Record<string, Json> = {};
  for (const [k, v] of Object.entries(result as Record<string, unknown>)) {
    if (SECRET_KEY.test(k)) continue;
    if (typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && v.length <= MAX_STRING)) facts[k] = v;
    if (Object.keys(facts).length >= 10) break;
  }
  return Object.keys(facts).length ? facts : undefined;
}
