// Sends photos to POST /api/cards in small batches, so one slow or rejected request
// does not hold up the rest, and collects per-file results.
import { shrinkIfTooBig } from "./shrink-photo";

export interface UploadOutcome {
  scans: { id: string; fileName: string; duplicate: boolean }[];
  errors: { fileName: string; message: string }[];
  /**
   * The photos that did not reach the server or met a passing refusal (no connection, a 5xx or 503, a 429, a 408, a
   * 401 after the session ended, a 409 WRONG_USER, a 413 or any answer that is not the app's JSON, e.g. a proxy's):
   * worth sending again as they are. A photo the server refused for what it is (empty,
   * too big, not an image) is not here. Every photo given that is in neither `retry` nor `notSent` has been answered
   * for by the server (accepted, already uploaded, or refused), which is when the scan page forgets it.
   */
  retry: File[];
  /** The server refused the batch tags (422 naming `tags`): nothing of the rest was sent. */
  tagsError?: string;
  /**
   * With `tagsError`: the photos that were not sent because of it (the refused request's and every later one's), as
   * they were given. Nothing is wrong with them: they go again once the tags are fixed.
   */
  notSent?: File[];
}

const PER_REQUEST = 10;
export const MAX_FILES = 50;

export interface UploadProgress {
  /** Photos sent so far (accepted or not) and in all. */
  sent: number;
  total: number;
  /** The scans this request created: recorded at once, so a reload during a long upload still lists them. */
  scans: UploadOutcome["scans"];
}

/**
 * `tags`: the scan page's "Tags for these cards" line, sent with every request. `onProgress`: after each request.
 * `sentAgain`: photos from the unsent list (X-Sent-Again, see server/cards/upload-cards.ts).
 * `userId`: whose photos these are. Sent as `X-Expected-User`: a page left open while someone else signed in on
 * this browser (another tab) would otherwise send its photos with the new session's cookie, making them that
 * person's cards; the server answers 409 WRONG_USER instead, and the photos stay for their owner.
 */
export async function uploadPhotos(files: File[], tags = "", onProgress?: (p: UploadProgress) => void, userId?: string, sentAgain = false): Promise<UploadOutcome> {
  const out: UploadOutcome = { scans: [], errors: [], retry: [] };
  for (let i = 0; i < files.length; i += PER_REQUEST) {
    const chunk = files.slice(i, i + PER_REQUEST);
    const body = new FormData();
    // One at a time: a 50 MP photo decoded takes 200 MB, and a phone has little to spare.
    const sending: File[] = [];
    for (const f of chunk) sending.push(await shrinkIfTooBig(f));
    if (tags.trim()) body.append("tags", tags);
    for (const f of sending) body.append("files", f, f.name);
    try {
      const headers: Record<string, string> = userId ? { "x-expected-user": userId } : {};
      // Photos from the unsent list: an earlier send may have arrived unanswered; the server then answers with that scan.
      if (sentAgain) headers["x-sent-again"] = "1";
      const res = await fetch("/api/cards", { method: "POST", body, headers });
      const json = (await res.json().catch(() => ({}))) as {
        scans?: UploadOutcome["scans"];
        errors?: UploadOutcome["errors"];
        error?: { code?: string; message?: string; files?: UploadOutcome["errors"]; details?: { fieldErrors?: { tags?: string[] } } };
      };
      const tagsError = json.error?.details?.fieldErrors?.tags?.[0];
      if (res.status === 422 && tagsError) {
        // The same tags go with every request: the other chunks would be refused alike.
        out.tagsError = tagsError;
        out.notSent = files.slice(i);
        return out;
      }
      if (res.status === 202) {
        out.scans.push(...(json.scans ?? []));
        out.errors.push(...(json.errors ?? []));
        onProgress?.({ sent: i + chunk.length, total: files.length, scans: json.scans ?? [] });
        continue;
      } else if (json.error?.files?.length) {
        out.errors.push(...json.error.files);
      } else {
        const retry = res.headers.get("retry-after");
        const message = (json.error?.message ?? `Upload failed (${res.status})`) + (retry ? ` Try again in ${retry} s.` : "");
        out.errors.push(...chunk.map((f) => ({ fileName: f.name, message })));
        // Busy, rate-limited or unavailable (503 while Redis is down), timed out, or signed out meanwhile (401: the
        // rep signs in again): the same photos may go through later. Any other 4xx would be refused alike.
        // Another user signed in on this browser meanwhile (409 WRONG_USER): the photos wait for their owner.
        const wrongUser = res.status === 409 && json.error?.code === "WRONG_USER";
        // Not the app's answer (no error code in JSON: a proxy's HTML page, its 403 or 404), or a 413 (a proxy's body
        // limit: the page never sends more than the app takes): something between the phone and the server, which
        // its operator fixes. The photos may exist nowhere else, so they are kept, not dropped as refused.
        const notTheApp = !json.error?.code || res.status === 413;
        if (res.status >= 500 || res.status === 429 || res.status === 408 || res.status === 401 || wrongUser || notTheApp) out.retry.push(...chunk);
      }
    } catch {
      out.errors.push(...chunk.map((f) => ({ fileName: f.name, message: "Network error: the upload did not reach the server." })));
      out.retry.push(...chunk);
    }
    onProgress?.({ sent: i + chunk.length, total: files.length, scans: [] });
  }
  return out;
}
