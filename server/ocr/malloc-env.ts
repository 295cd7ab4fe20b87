// glibc malloc settings for every process that runs OCR (the worker; the soak benchmark measures the same).
//
// Why (measured with `npm run bench:soak` and an RSS breakdown from /proc/self/smaps, see docs/ocr.md "Memory"):
// glibc gives each thread that allocates an arena of its own, up to 8 per core, and an OCR process has many such
// threads: the tesseract.js worker threads (re-created every few hundred jobs), the libuv threads that run
// sharp/libvips, V8's helper threads. Every card passes several multi-megabyte image buffers through them. glibc
// serves the first large ones with mmap, but each free of such a block raises its mmap threshold (up to 32 MB), so
// from then on image buffers are carved out of the arenas, where freed chunks stay mapped and fragment. With the
// defaults, 15 arenas grew from 195 MB to 480 MB over 300 cards (RSS +30 MB per 100 cards) while the V8 heap,
// Buffers and the WASM heaps stayed flat.
//   MALLOC_ARENA_MAX=2            at most 2 arenas, so freed memory is reused instead of spread over 15;
//   MALLOC_MMAP_THRESHOLD_=131072 a fixed threshold (glibc's own starting value): blocks ≥ 128 KiB, i.e. every
//                                 image buffer, are mmapped and go back to the system when freed.
// Each alone made 250 cards run flat (RSS ~430 MB and ~370 MB instead of 730–800 MB); together ~360 MB, and the
// image steps were no slower (decode + find card + warp: 480 ms per card against 530 ms with the defaults).
//
// glibc reads these once, before any JavaScript runs, so they cannot be set from here or from .env: they must be in
// the environment the process starts with. `npm run worker` (package.json), scripts/dev.ts, the integration-test and
// e2e launchers set them from OCR_MALLOC_ENV; a process manager that starts `node worker/index.ts` itself must set
// them too. The worker logs a warning at start when they are missing. Other C libraries (macOS, musl) ignore them.
// Side effect, intended: sharp limits libvips to one thread when it sees glibc without MALLOC_ARENA_MAX; with it set,
// sharp uses its default concurrency (the CPU count).

/** Environment the worker process must be started with (merged over the inherited environment). */
export const OCR_MALLOC_ENV = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072" } as const;

/** True on Linux with glibc, where OCR_MALLOC_ENV matters. */
export function usesGlibc(): boolean {
  if (process.platform !== "linux") return false;
  try {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return !!report?.header?.glibcVersionRuntime;
  } catch {
    return false;
  }
}

/** Names from OCR_MALLOC_ENV that this process was started without (empty when none, or when not on glibc). */
export function missingMallocEnv(env: Record<string, string | undefined> = process.env): string[] {
  if (!usesGlibc()) return [];
  return Object.keys(OCR_MALLOC_ENV).filter((k) => !env[k]);
}
