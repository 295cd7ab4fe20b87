// GET /api/contacts/export?format=csv|vcf&ids=a,b  or  &search=…&source=…&ownerId=…&tag=…&mailStatus=suppressed
// POST the same fields as a form or JSON (for selections too long for a URL).
import { getActor } from "@/app/_lib/session";
import { clientIpOf, requestIdOf } from "@/server/http/request-meta";
import { recordAudit } from "@/server/audit/record-audit";
import { logger } from "@/server/logger";
import { getDb } from "@/server/db";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { downloadResponse } from "@/server/http/download-response";
import { readBytesLimited, readFormLimited } from "@/server/http/limited-body";
import { exportContacts, exportQuery } from "@/server/contacts/export-contacts";

export const dynamic = "force-dynamic";

function fromParams(p: URLSearchParams) {
  const get = (k: string) => p.get(k) || undefined;
  const ids = p.getAll("ids").flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
  return {
    format: get("format"), ids: ids.length ? ids : undefined, search: get("search"), source: get("source"),
    ownerId: get("ownerId"), tag: get("tag"), createdFrom: get("createdFrom"), createdTo: get("createdTo"),
    mailStatus: get("mailStatus"),
  };
}

async function handle(req: Request, raw: unknown) {
  const requestId = requestIdOf(req);
  try {
    const actor = await getActor();
    if (!actor) return jsonError(401, "UNAUTHORIZED", "Sign in first");
    const q = exportQuery.parse(raw);
    // Who took the team's contacts out, and which ones: in the audit log (/admin/audit).
    const { ids, ...filters } = q;
    // Only the filters that are set: the GET and form paths name every filter key, most of them undefined, and an
    // export of everything was logged as "contacts matching a search" (hostile review).
    const filtered = Object.entries(filters).some(([k, v]) => k !== "format" && v !== undefined && v !== null && v !== "");
    const label = ids ? `${ids.length} selected contact${ids.length === 1 ? "" : "s"}` : filtered ? "contacts matching a search" : "all contacts";
    await recordAudit(getDb(), actor, { action: "contacts.export", targetId: null, targetLabel: `${label} as ${q.format.toUpperCase()}`, details: { input: q }, requestId, ip: clientIpOf(req) }, logger.child({ requestId }));
    const { body, contentType, filename } = exportContacts(getDb(), q);
    return downloadResponse(body, { filename, contentType, requestId });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}

export async function GET(req: Request) {
  return handle(req, fromParams(new URL(req.url).searchParams));
}

// A selection of 20,000 contacts' ids is about 750 KB; the same limit as a tRPC body. Counted while reading, so a
// chunked body without a Content-Length cannot make the process buffer more (hostile review: 64 MB was read whole).
const MAX_BODY_BYTES = 1024 * 1024;

export async function POST(req: Request) {
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const read = await readBytesLimited(req, MAX_BODY_BYTES);
    if (!read.ok) return read.reason === "too-large" ? jsonError(413, "BAD_REQUEST", "The request is too large") : jsonError(400, "BAD_REQUEST", "Malformed JSON body");
    let body: unknown = null;
    try {
      body = JSON.parse(new TextDecoder().decode(read.bytes));
    } catch {
      // answered below
    }
    if (!body || typeof body !== "object") return jsonError(400, "BAD_REQUEST", "Malformed JSON body");
    return handle(req, body);
  }
  const read = await readFormLimited(req, MAX_BODY_BYTES);
  if (!read.ok) return read.reason === "too-large" ? jsonError(413, "BAD_REQUEST", "The request is too large") : jsonError(400, "BAD_REQUEST", "Expected a form or JSON body");
  const params = new URLSearchParams();
  for (const [k, v] of read.form.entries()) if (typeof v === "string") params.append(k, v);
  return handle(req, fromParams(params));
}
