// POST /api/cards: multipart upload of card photos (parts named `files`).
// Answers 202 {"scans":[{"id",…}],"errors":[…]} and leaves the OCR to the worker.
import { getActor } from "@/app/_lib/session";
import { requestIdOf } from "@/server/http/request-meta";
import { uploadCards, type UploadFile } from "@/server/cards/upload-cards";
import { MAX_FILE_BYTES, MAX_FILES_PER_BATCH } from "@/server/cards/image-rules";
import { getDb } from "@/server/db";
import { getStorage } from "@/server/storage";
import { errorResponse, jsonError } from "@/server/http/error-response";
import { timed } from "@/server/metrics/http-metrics";
import { readFormLimited } from "@/server/http/limited-body";

export const dynamic = "force-dynamic";

// A full batch of maximum-size files plus multipart overhead.
const MAX_BODY_BYTES = MAX_FILES_PER_BATCH * MAX_FILE_BYTES + 1_048_576;

export function POST(req: Request) {
  return timed("/api/cards", "POST", () => upload(req));
}

async function upload(req: Request) {
  const requestId = requestIdOf(req);
  const actor = await getActor();
  if (!actor) return jsonError(401, "UNAUTHORIZED", "Sign in first");
  // The scan page names whose photos it sends (upload-client.ts): one left open in a tab while someone else signed in
  // on the same browser must not file its photos under the new session's user.
  const expected = req.headers.get("x-expected-user");
  if (expected !== null && expected !== actor.id) {
    return jsonError(409, "WRONG_USER", "These photos were taken while someone else was signed in on this browser, so they were not sent. Sign in as that person to send them.");
  }
  if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    return jsonError(415, "BAD_REQUEST", "Send the photos as multipart/form-data, in parts named 'files'.");
  }
  // Counted while reading, not only from Content-Length: a chunked upload declares no length.
  const read = await readFormLimited(req, MAX_BODY_BYTES);
  if (!read.ok && read.reason === "too-large") {
    return jsonError(413, "BAD_REQUEST", `The upload is too large: at most ${MAX_FILES_PER_BATCH} files of ${MAX_FILE_BYTES / 1048576} MB each.`);
  }
  if (!read.ok) return jsonError(400, "BAD_REQUEST", "The multipart body could not be read.");
  const form = read.form;
  // Optional text part(s) `tags` ("web-summit-2026, vip"): applied to every card of the batch;
  // uploadCards validates them (422 naming `tags`, nothing stored) before any file is taken.
  const tags = form.getAll("tags").filter((t): t is string => typeof t === "string");
  const parts = form.getAll("files");
  const files: UploadFile[] = [];
  const notFiles: { fileName: string; code: string; message: string }[] = [];
  for (const part of parts) {
    if (typeof part === "string") notFiles.push({ fileName: "(text field)", code: "VALIDATION", message: "A 'files' part must be a file, not text." });
    else files.push({ name: part.name, bytes: Buffer.from(await part.arrayBuffer()) });
  }
  if (parts.length > MAX_FILES_PER_BATCH) {
    return jsonError(400, "BAD_REQUEST", `Too many files: ${parts.length} in one batch; the limit is ${MAX_FILES_PER_BATCH}.`);
  }
  if (files.length === 0) {
    return jsonError(400, "BAD_REQUEST", "No files: send one or more parts named 'files'.", notFiles.length ? { files: notFiles } : {});
  }
  try {
    // X-Sent-Again: the scan page's photos from its store, whose earlier send may have arrived (upload-cards.ts).
    const sentAgain = req.headers.get("x-sent-again") === "1";
    const result = await uploadCards({ db: getDb(), storage: getStorage(), actor, tags, sentAgain }, files);
    const errors = [...notFiles, ...result.errors];
    if (result.scans.length === 0) {
      return jsonError(422, "VALIDATION", errors.length === 1 ? errors[0].message : "None of the files is a usable card photo.", { files: errors });
    }
    return Response.json({ scans: result.scans, errors }, { status: 202, headers: { "x-request-id": requestId } });
  } catch (e) {
    return errorResponse(e, requestId);
  }
}
