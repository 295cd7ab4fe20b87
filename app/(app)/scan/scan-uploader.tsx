"use client";
import { useEffect, useRef, useState } from "react";
import { MAX_FILES, uploadPhotos, type UploadOutcome } from "./upload-client";
import { ScanProgressList } from "./scan-progress-list";
import { MAX_STORED_BYTES, MAX_STORED_PHOTOS, openUnsentStore, type NotKept, type StoredPhoto, type UnsentStore } from "./unsent-store";
import { useHydrated } from "@/app/_lib/use-hydrated";
import { useSessionIds } from "@/app/_lib/use-session-ids";

/** One photo on its way, with the tags line it goes with and where it is kept until the server has answered for it. */
interface Photo {
  file: File;
  tags: string;
  takenAt: number;
  /** Its record in this browser's store (unsent-store.ts). Without one it lives only in this page; `notKept` says why. */
  storeId?: string;
  notKept?: NotKept;
  /** The server refused `tags`: sent again with the tags line as it is then, by the rep's tap only, never by itself. */
  tagsRefused?: boolean;
}
/** Photos sent together, with one tags line; `again`: from the unsent list (their first send may have arrived). */
interface Batch { photos: Photo[]; tags: string; again?: boolean }

const fromStore = (r: StoredPhoto): Photo => ({
  file: new File([r.blob], r.name, { type: r.type, lastModified: r.takenAt }),
  tags: r.tags,
  takenAt: r.takenAt,
  storeId: r.id,
  tagsRefused: r.tagsRefused,
});

const WHY_NOT_KEPT: Record<NotKept, string> = {
  unavailable: "this browser does not let the page store photos",
  quota: "the browser's storage for this site is full",
  cap: `at most ${MAX_STORED_PHOTOS} photos or ${MAX_STORED_BYTES / 1048576} MB are kept on this device`,
  error: "the browser could not store them",
};

/**
 * `userId`: the signed-in user; unsent photos are kept in this browser under that id, and only theirs are listed.
 * `tags`: the batch's tags line, sent with every upload; `onTagsError` shows the server's refusal on that box.
 */
export function ScanUploader({ userId, tags, onTagsError }: { userId: string; tags: string; onTagsError: (message: string | null) => void }) {
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  // This tab's batches, newest first; kept across a reload (app/_lib/use-session-ids.ts).
  const [scanIds, addScanIds] = useSessionIds("sales-agent:scan-batch");
  const [errors, setErrors] = useState<UploadOutcome["errors"]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  // Photos that did not get through (no connection at the stand, a busy server), to send again by the button or by
  // themselves when the phone is back online. A camera photo may exist nowhere else, so each is also written to this
  // browser's IndexedDB before it is sent (unsent-store.ts) and forgotten there once the server has answered for it:
  // a reload, a tab the OS discarded or a closed browser finds them again. `unsentRef` mirrors the state, so the
  // handlers below (run from events and promises, with an older render's closure) read the current list.
  const [unsent, setUnsentState] = useState<Photo[]>([]);
  const unsentRef = useRef<Photo[]>([]);
  const setUnsent = (next: (prev: Photo[]) => Photo[]) => {
    unsentRef.current = next(unsentRef.current);
    setUnsentState(unsentRef.current);
  };
  // Photos queued or being sent that are in the page's memory only: leaving now would lose them too.
  const [looseInFlight, setLooseInFlight] = useState(0);
  // Whether the store has been read ("ready"), cannot be used ("unavailable"), or is still being opened.
  const [storeState, setStoreState] = useState<"loading" | "ready" | "unavailable">("loading");
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

  // The store of this user's photos, opened once (null: no IndexedDB here, the page works from memory as before).
  const storeRef = useRef<{ userId: string; store: Promise<UnsentStore | null> } | null>(null);
  const store = () => {
    if (storeRef.current?.userId !== userId) storeRef.current = { userId, store: openUnsentStore(userId) };
    return storeRef.current.store;
  };
  // The records this page holds (queued, on their way or listed as unsent), so reading the store does not list twice.
  const held = useRef(new Set<string>());

  /** Writes to the store the photos not in it yet (a failed write is tried again on the next send, unless there is no IndexedDB). */
  async function keep(photos: Photo[]) {
    const s = await store();
    for (const p of photos) {
      if (p.storeId || p.notKept === "unavailable") continue;
      if (!s) {
        p.notKept = "unavailable";
        continue;
      }
      const r = await s.add({ blob: p.file, name: p.file.name, type: p.file.type, tags: p.tags, tagsRefused: false, takenAt: p.takenAt });
      if ("id" in r) {
        p.storeId = r.id;
        p.notKept = undefined;
        held.current.add(r.id);
      } else {
        p.notKept = r.notKept;
      }
    }
  }

  /** Forgets the photos the server answered for. */
  async function forget(photos: Photo[]) {
    const ids = photos.flatMap((p) => (p.storeId ? [p.storeId] : []));
    if (!ids.length) return;
    await (await store())?.remove(ids);
    for (const id of ids) held.current.delete(id);
  }

  /** The photos' records take the tags they now go with (and whether the server refused those). */
  async function retag(photos: Photo[]) {
    const s = await store();
    for (const p of photos) if (p.storeId) await s?.update(p.storeId, { tags: p.tags, tagsRefused: !!p.tagsRefused });
  }

  const loose = (batches: Batch[]) => batches.reduce((n, b) => n + b.photos.filter((p) => !p.storeId).length, 0);

  /** Photos the rep just took or picked: with the tags line as it is now. */
  function send(list: FileList | File[] | null) {
    const files = list ? Array.from(list) : [];
    if (!files.length) return;
    if (files.length > MAX_FILES) {
      setErrors([{ fileName: `${files.length} files`, message: `At most ${MAX_FILES} cards per batch. Select fewer and try again.` }]);
      return;
    }
    const takenAt = Date.now();
    void enqueue([{ tags, photos: files.map((file) => ({ file, tags, takenAt })) }]);
  }

  async function enqueue(batches: Batch[]) {
    // Stored before anything is sent: a tab closed or discarded by the phone in the middle of an upload keeps them.
    await keep(batches.flatMap((b) => b.photos));
    setLooseInFlight((n) => n + loose(batches));
    queue.current.push(...batches);
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setNotice(null);
    setErrors([]);
    try {
      for (let next = queue.current.shift(); next; next = queue.current.shift()) {
        const ok = await upload(next);
        setLooseInFlight((n) => n - loose([next!]));
        if (ok) continue;
        // The tags were refused: the batches still waiting would be refused alike (or sent with tags the rep is
        // about to fix). They wait with the refused one among the photos not sent, for "Send again"; those with the
        // same tags line count as refused too, the others keep theirs.
        const refusedTags = next.tags;
        const waiting = queue.current.splice(0);
        setLooseInFlight((n) => n - loose(waiting));
        const parked = waiting.flatMap((b) => b.photos.map((p) => (b.tags === refusedTags ? { ...p, tagsRefused: true } : p)));
        if (parked.length) {
          setUnsent((prev) => [...prev.filter((p) => !parked.some((h) => h.file === p.file)), ...parked]);
          await retag(parked.filter((p) => p.tagsRefused));
        }
        break;
      }
    } finally {
      running.current = false;
      setBusy(false);
      setProgress(null);
    }
  }

  /** Sends one batch with its own tags; false when the server refused the tags (its photos are then in `unsent`). */
  async function upload({ photos, tags: batchTags, again: sentAgain }: Batch): Promise<boolean> {
    const files = photos.map((p) => p.file);
    setProgress({ sent: 0, total: files.length });
    const result = await uploadPhotos(files, batchTags, (p) => {
      setProgress({ sent: p.sent, total: p.total });
      addScanIds(p.scans.map((s) => s.id));
    }, userId, sentAgain);
    setErrors((prev) => [...prev, ...result.errors]);
    onTagsError(result.tagsError ? `${result.tagsError}. No card was uploaded; the photos are kept below: fix the tags and send them again.` : null);
    const dups = result.scans.filter((s) => s.duplicate).length;
    if (dups) setNotice(`${dups} of these cards ${dups === 1 ? "was" : "were"} already uploaded; showing the earlier scan.`);
    // A photo sent again replaces its earlier failure; one that failed again (or was not sent: refused tags) stays,
    // in the store too. Every other one has been answered for (accepted, already uploaded, or refused for what it is,
    // with its message above): it leaves the store.
    const refused = new Set(result.notSent ?? []);
    const again = new Set([...result.retry, ...refused]);
    const stay = photos.filter((p) => again.has(p.file)).map((p) => (refused.has(p.file) ? { ...p, tagsRefused: true } : p));
    setUnsent((prev) => [...prev.filter((p) => !files.includes(p.file)), ...stay]);
    await forget(photos.filter((p) => !again.has(p.file)));
    await retag(stay.filter((p) => p.tagsRefused));
    return !result.tagsError;
  }

  // "Send again" (and, with `auto`, back online or on opening the page). A photo goes with the tags it was taken
  // with; one whose tags the server refused goes with the tags line as it is now (the rep fixed it), and only when
  // the rep taps: sent by itself it would be refused again, or go with tags nobody checked.
  function sendUnsent(auto = false) {
    if (running.current) return;
    const going = unsentRef.current.filter((p) => !auto || !p.tagsRefused);
    if (!going.length) return;
    setUnsent((prev) => prev.filter((p) => !going.includes(p)));
    const retagged = going.filter((p) => p.tagsRefused).map((p) => ({ ...p, tags, tagsRefused: false }));
    void retag(retagged);
    const ready = going.map((p) => (p.tagsRefused ? retagged.find((r) => r.file === p.file)! : p));
    const byTags = new Map<string, Photo[]>();
    for (const p of ready) byTags.set(p.tags, [...(byTags.get(p.tags) ?? []), p]);
    const batches: Batch[] = [];
    for (const [t, list] of byTags) for (let i = 0; i < list.length; i += MAX_FILES) batches.push({ tags: t, photos: list.slice(i, i + MAX_FILES), again: true });
    void enqueue(batches);
  }

  // Back online: the photos that did not get through go by themselves.
  const sendUnsentRef = useRef(sendUnsent);
  sendUnsentRef.current = sendUnsent;
  useEffect(() => {
    const online = () => sendUnsentRef.current(true);
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, []);
  // Opening the page: this user's photos left in the store by an earlier visit are listed, and go by themselves when
  // the browser is online.
  const storeOf = useRef(store);
  storeOf.current = store;
  useEffect(() => {
    let live = true;
    void storeOf.current().then(async (s) => {
      const rows = s ? await s.list() : [];
      if (!live) return;
      const found = rows.filter((r) => !held.current.has(r.id)).map(fromStore);
      for (const p of found) held.current.add(p.storeId!);
      if (found.length) setUnsent((prev) => [...prev, ...found]);
      setStoreState(s ? "ready" : "unavailable");
      if (found.length && navigator.onLine) sendUnsentRef.current(true);
    });
    return () => {
      live = false;
    };
  }, [userId]);
  // Leaving the page would lose the photos kept only in its memory: the browser asks first. Those in the store are safe.
  const unsafe = looseInFlight > 0 || unsent.some((p) => !p.storeId);
  useEffect(() => {
    if (!unsafe) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [unsafe]);
  const notKept = unsent.filter((p) => !p.storeId);
  const why = [...new Set(notKept.map((p) => WHY_NOT_KEPT[p.notKept ?? "error"]))].join("; ");
  const goesAlone = unsent.some((p) => !p.tagsRefused);

  return (
    // Spacing by each block's own top margin, not space-y: the live regions below are always in the page, empty
    // (and taking no room) until they have something to say, and space-y would space out even an empty one.
    // data-unsent-store: whether this user's stored photos have been read ("ready"), or cannot be kept ("unavailable").
    <section className="card" data-unsent-store={storeState}>
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
            {unsent.length} photo{unsent.length === 1 ? " was" : "s were"} not sent.{" "}
            {notKept.length === 0
              ? "They are kept on this device, also if the page is reloaded or closed."
              : notKept.length === unsent.length
                ? `They are kept only while this page stays open: leaving or reloading it loses them (${why}).`
                : `${notKept.length} of them are kept only while this page stays open: leaving or reloading it loses those (${why}); the others are kept on this device.`}
            {goesAlone && " They go by themselves when the connection is back."}
            {/* After a reload the tags box no longer shows the server's refusal: say why these wait. */}
            {unsent.some((p) => p.tagsRefused) && " Those whose tags were refused wait until you send them again with fixed tags."}
          </span>
          <button type="button" className="btn-primary py-1" onClick={() => sendUnsent()} disabled={busy}>
            Send {unsent.length === 1 ? "it" : `the ${unsent.length}`} again
          </button>
        </div>
      )}
      <ScanProgressList ids={scanIds} />
    </section>
  );
}
