// The answer of a file download route (contacts export, campaign send log, import problems): an attachment
// the browser saves rather than shows, never cached (it holds contact data), with the request id the logs use.
export function downloadResponse(body: ReadableStream<Uint8Array>, opts: { filename: string; contentType: string; requestId: string }): Response {
  return new Response(body, {
    headers: {
      "Content-Type": opts.contentType,
      "Content-Disposition": `attachment; filename="${opts.filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
      "x-request-id": opts.requestId,
    },
  });
}
