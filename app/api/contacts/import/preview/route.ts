// POST /api/contacts/import/preview (multipart: file = the first 256 KB of the file,
// truncated = "1" when it was cut) -> the detected format, encoding, columns, mapping
// and first rows.
import { getActor } from "@/app/_lib/session";
import { requestIdOf } from "@/server/http/request-meta";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { previewImportFromBytes } from "@/server/imports/start-import";
import { readFormLimited } from "@/server/http/limited-body";

export const dynamic = "force-dynamic";

const MAX_PREVIEW_BYTES = 512 * 1024;
const tooLarge = () => jsonError(413, "PAYLOAD_TOO_LARGE", "Send at most the first 512 KB of the file for a preview");

export async function POST(req: Request) {
  const requestId = requestIdOf(req);
  try {
    const actor = await getActor();
    if (!actor) return jsonError(401, "UNAUTHORIZED", "Sign in first");
    // Counted while reading, not only from Content-Length: a chunked upload declares no length.
    const read = await readFormLimited(req, MAX_PREVIEW_BYTES + 16 * 1024);
    if (!read.ok && read.reason === "too-large") return tooLarge();
    const form = read.ok ? read.form : null;
    const file = form?.get("file");
    if (!(file instanceof Blob) || file.size === 0) return jsonError(422, "VALIDATION", "Choose a non-empty .csv or .vcf file", { fieldErrors: { file: ["required"] } });
    if (file.size > MAX_PREVIEW_BYTES) return tooLarge();
    const preview = previewImportFromBytes(new Uint8Array(await file.arrayBuffer()), form?.get("truncated") === "1");
    return Response.json(preview, { headers: { "x-request-id": requestId } });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
