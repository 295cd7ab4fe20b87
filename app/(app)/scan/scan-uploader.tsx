"use client";
import { useEffect, useRef, useState } from "react";
import { MAX_FILES, uploadPhotos, type UploadOutcome } from "./upload-client";
import { ScanProgressList } from "./scan-progress-list";
import { useHydrated } from "@/app/_lib/use-hydrated";
import { useSessionIds } from "@/app/_lib/use-session-ids";

/** Photos taken or picked together, with the tags line as it was then. */
interface Batch { files: File[]; tags: string }

/** `tags`: the batch's tags line, sent with every upload; `onTagsError` shows the server's refusal on that box. */
export function ScanUploader({ tags, onTagsError }: { tags: string; onTagsError: (message: string | null) => void }) {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  // This tab's batches, newest first; kept across a reload (app/_lib/use-session-ids.ts).
  const [scanIds, addScanIds] = useSessionIds("sales-agent:scan-batch");
  const [errors, setErrors] = useState<UploadOutcome["errors"]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  // Photos that did not get through (no connection at the stand, a busy server): kept in the page to send again,
  // by the button or by themselves when the phone is back online. A camera photo may exist nowhere else.
  const [unsent, setUnsent] = useState<File[]>([]);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  // Photos taken while an upload runs wait here and go next: the camera stays usable between cards. Each batch keeps
  // the tags line as it was when the rep took or picked its photos: the loop runs with the closure of the render that
  // started it, whose `tags` may be older (a rep moving from "booth-a" to "booth-b" between cards).
  const queue = useRef<Batch[]>([]);
  const running = useRef(false);
  const pickRef = useRef<HTMLInputElement>(null);
  const cameraRef = useRef<HTMLInputElement>(null);
  // The two buttons open hidden inputs from a click handler: before hydration a tap would do
  // nothing at all, so they say "not yet" instead (a rep on a slow connection at an event).
  const hydrated = useHydrated();

  async function send(list: FileList | File[] | null) {
    const files = list ? Array.from(list) : [];
    if (!files.length) return;
    if (files.length > MAX_FILES) {
      setErrors([{ fileName: `${files.length} files`, message: `At most ${MAX_FILES} cards per batch. Select fewer and try again.` }]);
      return;
    }
    queue.current.push({ files, tags });
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setNotice(null);
    setErrors([]);
    try {
      for (let next = queue.current.shift(); next; next = queue.current.shift()) {
        if (await upload(next)) continue;
        // The tags were refused: the batches still waiting would be refused alike (or sent with tags the rep is
        // about to fix). They wait with the refused one among the photos not sent, for "Send again".
        const waiting = queue.current.splice(0).flatMap((b) => b.files);
        if (waiting.length) setUnsent((prev) => [...prev.filter((f) => !waiting.includes(f)), ...waiting]);
        break;
      }
    } finally {
      running.current = false;
      setBusy(false);
      setProgress(null);
    }
  }

  /** Sends one batch with its own tags; false when the server refused the tags (its photos are then in `unsent`). */
  async function upload({ files, tags: batchTags }: Batch): Promise<boolean> {
    setProgress({ sent: 0, total: files.length });
    const result = await uploadPhotos(files, batchTags, (p) => {
      setProgress({ sent: p.sent, total: p.total });
      addScanIds(p.scans.map((s) => s.id));
    });
    setErrors((prev) => [...prev, ...result.errors]);
    onTagsError(result.tagsError ? `${result.tagsError}. No card was uploaded; the photos are kept below: fix the tags and send them again.` : null);
    const dups = result.scans.filter((s) => s.duplicate).length;
    if (dups) setNotice(`${dups} of these cards ${dups === 1 ? "was" : "were"} already uploaded; showing the earlier scan.`);
    // A photo sent again replaces its earlier failure; one that failed again (or was not sent: refused tags) stays.
    const again = [...result.retry, ...(result.notSent ?? [])];
    setUnsent((prev) => [...prev.filter((f) => !files.includes(f)), ...again]);
    return !result.tagsError;
  }

  // "Send again" (and back online): with the tags line as it is now. Photos kept after a tags refusal were never
  // accepted, so the fixed tags are theirs.
  function sendUnsent() {
    const files = unsent;
    if (!files.length || running.current) return;
    setUnsent([]);
    void send(files.slice(0, MAX_FILES)).then(() => files.length > MAX_FILES && setUnsent((prev) => [...files.slice(MAX_FILES), ...prev]));
  }

  // Back online: the photos that did not get through go by themselves.
  const sendUnsentRef = useRef(sendUnsent);
  sendUnsentRef.current = sendUnsent;
  useEffect(() => {
    const online = () => sendUnsentRef.current();
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, []);
  // Leaving the page would lose them: the browser asks first.
  useEffect(() => {
    if (!unsent.length) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [unsent.length]);

  return (
    // Spacing by each block's own top margin, not space-y: the live regions below are always in the page, empty
    // (and taking no room) until they have something to say, and space-y would space out even an empty one.
    <section className="card">
      <div
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); void send(e.dataTransfer.files); }}
        className={`flex flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-4 py-10 text-center transition ${dragging ? "border-indigo-500 bg-indigo-50" : "border-slate-300"}`}
        data-testid="drop-zone"
      >
        <p className="text-sm text-slate-600">Drop card photos here, or</p>
        <div className="flex flex-wrap justify-center gap-2">
          {/* Usable during an upload: what is taken meanwhile is sent next. */}
          <button type="button" className="btn-primary" onClick={() => cameraRef.current?.click()} disabled={!hydrated}>Take a photo</button>
          <button type="button" className="btn-secondary" onClick={() => pickRef.current?.click()} disabled={!hydrated}>Choose files</button>
        </div>
        <p className="text-xs text-slate-500">JPEG, PNG, WebP, AVIF or TIFF · up to 15 MB each · 50 per batch</p>
        {/* The camera input opens the back camera on phones; the other picks many files. */}
        <input ref={cameraRef} type="file" accept="image/*" capture="environment" className="hidden" onChange={(e) => { void send(e.target.files); e.target.value = ""; }} />
        <input ref={pickRef} type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/tiff" multiple className="hidden" aria-label="Card photos" data-testid="file-input" onChange={(e) => { void send(e.target.files); e.target.value = ""; }} />
        {/* Mounted before it has text: a status region that appears together with its first words is often
            not announced. sr-only while empty, so it takes no room. */}
        <p className={busy ? "text-sm text-indigo-700" : "sr-only"} role="status" data-testid="upload-status">{busy ? (progress && progress.total > 10 ? `Uploading… ${progress.sent} of ${progress.total} sent` : "Uploading…") : ""}</p>
      </div>
      <div role="status" data-testid="upload-notice-region">
        {notice && <p className="mt-4 rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-800" data-testid="upload-notice">{notice}</p>}
      </div>
      {/* Refused files ("At most 50 cards per batch…", "The file is empty."): an alert, always in the page. */}
      <div role="alert" data-testid="upload-errors-region">
        {errors.length > 0 && (
          <ul className="mt-4 space-y-1 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="upload-errors">
            {errors.map((e, i) => <li key={i}><span className="font-medium">{e.fileName}</span>: {e.message}</li>)}
          </ul>
        )}
      </div>
      {unsent.length > 0 && (
        <div className="mt-3 flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="unsent">
          <span>
            {unsent.length} photo{unsent.length === 1 ? " was" : "s were"} not sent. They are kept on this page and go by themselves when
            the connection is back; leaving or reloading the page loses them.
          </span>
          <button type="button" className="btn-primary py-1" onClick={sendUnsent} disabled={busy}>
            Send {unsent.length === 1 ? "it" : `the ${unsent.length}`} again
          </button>
        </div>
      )}
      <ScanProgressList ids={scanIds} />
    </section>
  );
}
