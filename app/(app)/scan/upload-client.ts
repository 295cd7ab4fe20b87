// Sends photos to POST /api/cards in small batches, so one slow or rejected request
// does not hold up the rest, and collects per-file results.
export interface UploadOutcome {
  scans: { id: string; fileName: string; duplicate: boolean }[];
  errors: { fileName: string; message: string }[];
  /** The server refused the batch tags (422 naming `tags`): nothing of the rest was sent. */
  tagsError?: string;
}

const PER_REQUEST = 10;
export const MAX_FILES = 50;

/** `tags`: the scan page's "Tags for these cards" line, sent with every request. */
export async function uploadPhotos(files: File[], tags = ""): Promise<UploadOutcome> {
  const out: UploadOutcome = { scans: [], errors: [] };
  for (let i = 0; i < files.length; i += PER_REQUEST) {
    const chunk = files.slice(i, i + PER_REQUEST);
    const body = new FormData();
    if (tags.trim()) body.append("tags", tags);
    for (const f of chunk) body.append("files", f, f.name);
    try {
      const res = await fetch("/api/cards", { method: "POST", body });
      const json = (await res.json().catch(() => ({}))) as {
        scans?: UploadOutcome["scans"];
        errors?: UploadOutcome["errors"];
        error?: { message?: string; files?: UploadOutcome["errors"]; details?: { fieldErrors?: { tags?: string[] } } };
      };
      const tagsError = json.error?.details?.fieldErrors?.tags?.[0];
      if (res.status === 422 && tagsError) {
        // The same tags go with every request: the other chunks would be refused alike.
        out.tagsError = tagsError;
        return out;
      }
      if (res.status === 202) {
        out.scans.push(...(json.scans ?? []));
        out.errors.push(...(json.errors ?? []));
      } else if (json.error?.files?.length) {
        out.errors.push(...json.error.files);
      } else {
        const retry = res.headers.get("retry-after");
        const message = (json.error?.message ?? `Upload failed (${res.status})`) + (retry ? ` Try again in ${retry} s.` : "");
        out.errors.push(...chunk.map((f) => ({ fileName: f.name, message })));
      }
    } catch {
      out.errors.push(...chunk.map((f) => ({ fileName: f.name, message: "Network error: the upload did not reach the server." })));
    }
  }
  return out;
}
