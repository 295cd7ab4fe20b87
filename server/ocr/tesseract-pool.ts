// A small pool of tesseract.js workers (each runs in its own worker_thread), reused across jobs and
// re-created every `recycleAfter` jobs because WASM memory only grows.
import { createWorker, type Worker, type RecognizeResult } from "tesseract.js";
import { prepareLangPath } from "./lang-data";
import { OcrTimeoutError } from "./errors";

export interface PoolOptions {
  size: number;
  recycleAfter: number;
  cachePath: string;
  langs: string[];
}

interface Slot {
  worker: Promise<Worker> | null;
  jobs: number;
  busy: boolean;
}

export type PageSegMode = "3" | "4" | "6" | "11" | "12";

export class TesseractPool {
  private slots: Slot[];
  private waiters: ((slot: Slot) => void)[] = [];
  private closed = false;
  private langPath: { langPath: string; gzip: boolean } | null = null;

  constructor(private readonly opts: PoolOptions) {
    this.slots = Array.from({ length: Math.max(1, opts.size) }, () => ({ worker: null, jobs: 0, busy: false }));
  }

  private spawn(): Promise<Worker> {
    this.langPath ??= prepareLangPath(this.opts.langs, this.opts.cachePath);
    const { langPath, gzip } = this.langPath;
    // OEM 1 = LSTM only (the best_int models carry no legacy engine).
    return createWorker(this.opts.langs, 1, {
      langPath,
      gzip,
      cachePath: this.opts.cachePath,
      // The default error handler throws inside the worker thread's message handler and kills the process.
      errorHandler: () => undefined,
    });
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new Error("OCR engine is closed"));
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiters.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  /**
   * Recognize one image (an encoded PNG/JPEG buffer). With `timeoutMs`, a recognition still running after that
   * long rejects with OcrTimeoutError and its worker is terminated (the slot gets a fresh worker on its next job).
   * `limitMs` is the limit the error names: the engine passes the time LEFT of a scan's budget as `timeoutMs`
   * (a second pass gets what the first left over), but the rep and the log should read the configured limit
   * ("the 20-second limit"), not a leftover such as 7519.067765000043 ms.
   */
  async recognize(image: Buffer, psm: PageSegMode, timeoutMs?: number, limitMs: number | undefined = timeoutMs): Promise<RecognizeResult["data"]> {
    const slot = await this.acquire();
    try {
      if (this.closed) throw new Error("OCR engine is closed");
      if (slot.worker && slot.jobs >= this.opts.recycleAfter) {
        const old = slot.worker;
        slot.worker = null;
        slot.jobs = 0;
        await old.then((w) => w.terminate()).catch(() => undefined);
      }
      if (!slot.worker) {
        slot.worker = this.spawn();
        slot.worker.catch(() => { slot.worker = null; });
      }
      const worker = await slot.worker;
      slot.jobs++;
      await worker.setParameters({
        tessedit_pageseg_mode: psm as never,
        // Word-level output in `blocks` is all we need; no hOCR/TSV.
        preserve_interword_spaces: "0",
        // Our PNGs carry no DPI; without a value tesseract warns and guesses. Cards at ~1800 px wide are ~500 dpi.
        user_defined_dpi: "300",
        // tesseract's own diagnostics ("Detected 156 diacritics", "Estimating resolution as …") go through
        // tprintf, which writes to stderr unless debug_file names a file; /dev/null drops them. Leptonica's
        // "Error in boxClipToRectangle" lines bypass this (fprintf to stderr, no switch reachable from
        // tesseract.js); server/ocr/engine-noise.ts catches them on the process's stdio (CLI and worker).
        debug_file: "/dev/null",
      });
      const job = worker.recognize(image, {}, { blocks: true, text: true });
      if (!timeoutMs || !Number.isFinite(timeoutMs)) return (await job).data;
      job.catch(() => undefined); // settled by terminate() after a timeout; nobody waits for it any more
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrTimeoutError(limitMs ?? timeoutMs)), Math.max(1, timeoutMs));
      });
      try {
        return (await Promise.race([job, limit])).data;
      } finally {
        clearTimeout(timer);
      }
    } catch (err) {
      // A worker that failed mid-job may be in a bad state: throw it away.
      const w = slot.worker;
      slot.worker = null;
      slot.jobs = 0;
      if (w) void w.then((x) => x.terminate()).catch(() => undefined);
      throw err;
    } finally {
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.slots.map((s) => s.worker).filter((w): w is Promise<Worker> => !!w);
    this.slots.forEach((s) => (s.worker = null));
    await Promise.all(pending.map((p) => p.then((w) => w.terminate()).catch(() => undefined)));
    // Anyone still waiting for a slot gets an error instead of hanging.
    for (const w of this.waiters.splice(0)) w({ worker: null, jobs: 0, busy: true });
  }
}
