// POST /api/contacts/import (multipart: file, onDuplicate, mapping as JSON) -> 202 {jobId}.
// Files over 10 MB are refused with 413 before they are read. The import itself runs
// in the worker; the page polls imports.get.
import { getActor } from "@/app/_lib/session";
import { requestIdOf } from "@/server/http/request-meta";
import { getDb } from "@/server/db";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { MAX_IMPORT_BYTES } from "@/server/imports/decode";
import { duplicatePolicySchema, mappingSchema } from "@/server/imports/schemas";
import { startImportFromBytes } from "@/server/imports/start-import";

export const dynamic = "force-dynamic";

// Multipart framing around a 10 MB file.
const MAX_BODY = MAX_IMPORT_BYTES + 64 * 1024;
const tooLarge = () => jsonError(413, "PAYLOAD_TOO_LARGE", "The file is larger than 10 MB. Split it into smaller files.");

export async function POST(req: Request) {
  const requestId = requestIdOf(req);
  try {
    const actor = await getActor();
    if (!actor) return jsonError(401, "UNAUTHORIZED", "Sign in first");
    const length = Number(req.headers.get("content-length") ?? NaN);
    if (!Number.isFinite(length)) return jsonError(411, "LENGTH_REQUIRED", "Content-Length is required");
    if (length > MAX_BODY) return tooLarge();
    const form = await req.formData().catch(() => null);
    if (!form) return jsonError(400, "BAD_REQUEST", "Expected a multipart form with a file");
    const file = form.get("file");
    if (!(file instanceof Blob) || file.size === 0) return jsonError(422, "VALIDATION", "Choose a non-empty .csv or .vcf file", { fieldErrors: { file: ["required"] } });
    if (file.size > MAX_IMPORT_BYTES) return tooLarge();
    const onDuplicate = duplicatePolicySchema.parse(form.get("onDuplicate") ?? "skip");
    const rawMapping = form.get("mapping");
    let mapping: unknown;
    if (typeof rawMapping === "string" && rawMapping) {
      try {
        mapping = JSON.parse(rawMapping);
      } catch {
        return jsonError(422, "VALIDATION", "mapping must be a JSON array", { fieldErrors: { mapping: ["not JSON"] } });
      }
    }
    const fileName = typeof (file as File).name === "string" ? (file as File).name.slice(0, 255) : undefined;
    const result = await startImportFromBytes(getDb(), actor, {
      bytes: new Uint8Array(await file.arrayBuffer()),
      kind: "auto",
      onDuplicate,
      mapping: mapping === undefined ? undefined : mappingSchema.parse(mapping),
      fileName,
    });
    return Response.json(result, { status: 202, headers: { "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
