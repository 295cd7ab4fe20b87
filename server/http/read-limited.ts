// A request body read whole, up to a limit. One reader for both tRPC paths: a Fetch API body
// (Next's route) and a Node IncomingMessage (the direct path) are both async iterables of bytes.
// Counting while reading is what stops a chunked body, which declares no length.

/** The whole body, or null as soon as it passes `limit` bytes (the rest is left unread). */
export async function readLimited(source: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) return null; // leaving the loop early cancels a web stream
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
