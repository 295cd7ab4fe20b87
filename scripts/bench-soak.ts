// OCR soak benchmark: N business cards in a row through the real OCR engine (createOcrEngine,
// in-process tesseract.js worker threads, the same engine the worker process uses), sampling the
// process RSS every few seconds and after every card. Memory must stay flat after warm-up.
//   npm run bench:soak -- [--cards 1000] [--max-minutes 0] [--sample-seconds 3] [--warmup 100] [--no-write]
//   npm run bench:soak -- --report-only   (re-render soak.md / soak.svg from the samples in bench/soak.json)
//   npm run bench:soak -- --cards 300 --no-write --inherit-env   (glibc's malloc defaults, for comparison)
// Cycles through bench/ocr-cards/*.jpg and, when present, ../shared/fixtures/cards/*.jpg.
// --max-minutes stops early (after the card in progress) when the time budget is spent; the report
// then says how many cards were done. Writes bench/soak.json, bench/soak.md and bench/soak.svg
// (a checkpoint every 50 cards, the final figures at the end). No figure is hard-coded.
// The soak runs with the malloc settings the worker process runs with (OCR_MALLOC_ENV, server/ocr/malloc-env.ts):
// when they are missing from the environment, the script starts itself again with them, so `npx tsx
// scripts/bench-soak.ts` measures the same process configuration as `npm run worker`. --inherit-env skips that
// (to measure the defaults); the report then says that the settings differ from the worker's.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { busyProcesses, concurrentWork, linearFit, lineChartSvg, loadAvg, machine, machineLine, pct, round } from "./lib/bench-common";
import { nativeMemory } from "./lib/native-memory";
import { missingMallocEnv, OCR_MALLOC_ENV, usesGlibc } from "../server/ocr/malloc-env";

const { values: args } = parseArgs({
  options: {
    cards: { type: "string", default: "1000" },
    "max-minutes": { type: "string", default: "0" },
    "sample-seconds": { type: "string", default: "3" },
    warmup: { type: "string", default: "100" },
    "no-write": { type: "boolean", default: false },
    "report-only": { type: "boolean", default: false },
    "inherit-env": { type: "boolean", default: false },
  },
});
const CARDS = Number(args.cards);
const MAX_MINUTES = Number(args["max-minutes"]);
const SAMPLE_MS = Number(args["sample-seconds"]) * 1000;
const WARMUP = Number(args.warmup);
const ROOT = path.resolve(__dirname, "..");
process.env.LOG_LEVEL ??= "warn";

const mb = (b: number) => round(b / 2 ** 20, 1);

function cardFiles(): string[] {
  const dirs = [path.join(ROOT, "bench/ocr-cards"), path.resolve(ROOT, "../shared/fixtures/cards")];
  const files: string[] = [];
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (/\.jpe?g$/i.test(f)) files.push(path.join(d, f));
  }
  return files;
}

interface CardSample {
  card: number; t: number; rssMb: number; heapUsedMb: number; externalMb: number; ms: number;
  /** from /proc/self/smaps (Linux): glibc malloc heaps (main + per-thread arenas), of which thread arenas, and WASM memories */
  mallocMb?: number; threadArenasMb?: number; wasmMb?: number;
}
interface TimeSample { t: number; cards: number; rssMb: number; heapUsedMb: number; externalMb: number; arrayBuffersMb: number; load1: number }

interface Raw {
  startedAt: string; complete: boolean; command: string; stopReason: string; machine: ReturnType<typeof machine>; engine: string;
  images: { count: number; dirs: string[] }; cardsRequested: number; cardsDone: number; failures: number; failureKinds: Record<string, number>; elapsedSeconds: number;
  warmupCards: number; samplesEverySeconds: number;
  load: { atStart: number[]; atEnd: number[] }; otherProcessesAtStart: string[];
  /** other benchmarks / test runs seen by `ps` during the run: label → first and last card at which they were seen */
  concurrentWorkSeen?: Record<string, { fromCard: number; toCard: number }>;
  timeSamples: TimeSample[]; perCard: CardSample[];
  /** the OCR_MALLOC_ENV variables as this process saw them (null = unset), whether glibc is the C library, sharp's thread count */
  mallocEnv?: Record<string, string | null>; glibc?: boolean; sharpConcurrency?: number;
}

interface Report extends Raw {
  generatedAt: string;
  msPerCard: { mean: number; p50: number; p95: number; max: number };
  rss: { atStartMb?: number; atWarmupMb: number | null; atLastCardMb: number | null; lastCard: number; peakMb: number; afterWarmupMinMb: number | null; afterWarmupMaxMb: number | null; afterWarmupMedianMb: number | null; slopeMbPer100Cards: number | null; slopeLastHalfMbPer100Cards: number | null; projectedGrowthMbPer1000Cards: number | null };
  rssWindows: { cards: string; minMb: number; medianMb: number; maxMb: number; heapUsedMedianMb: number; externalMedianMb: number; mallocMedianMb: number | null; wasmMedianMb: number | null }[];
  heapSlopeMbPer100Cards: number | null;
  mallocSlopeMbPer100Cards: number | null;
  wasmSlopeMbPer100Cards: number | null;
  externalSlopeMbPer100Cards: number | null;
  loadDuring: { mean1min: number; max1min: number };
  overlappingRuns: { bench: string; from: string; to: string; fromCard: number; toCard: number }[];
}

/** Runs of bench:web / bench:polling whose [startedAt, generatedAt] overlaps this soak, from their JSON reports. */
function overlappingRuns(raw: Raw): Report["overlappingRuns"] {
  const t0 = Date.parse(raw.startedAt);
  const t1 = t0 + raw.elapsedSeconds * 1000;
  const cardAt = (ms: number) => { const sec = (ms - t0) / 1000; const c = raw.perCard.find((p) => p.t >= sec); return c ? c.card : raw.cardsDone; };
  const out: Report["overlappingRuns"] = [];
  for (const name of ["web", "polling"]) {
    const f = path.join(ROOT, `bench/${name}.json`);
    if (!fs.existsSync(f)) continue;
    try {
      const j = JSON.parse(fs.readFileSync(f, "utf8")) as { startedAt?: string; generatedAt?: string };
      if (!j.startedAt || !j.generatedAt) continue;
      const a = Date.parse(j.startedAt);
      const b = Date.parse(j.generatedAt);
      if (b < t0 || a > t1) continue;
      out.push({ bench: `bench:${name}`, from: j.startedAt, to: j.generatedAt, fromCard: cardAt(Math.max(a, t0)), toCard: cardAt(Math.min(b, t1)) });
    } catch {
      /* unreadable: skip */
    }
  }
  return out;
}

function buildReport(raw: Raw): Report {
  const perCard = raw.perCard;
  const done = raw.cardsDone;
  const W = raw.warmupCards;
  const at = (n: number) => perCard.find((s) => s.card === n) ?? perCard[perCard.length - 1];
  const after = perCard.filter((s) => s.card >= W);
  const fit = linearFit(after.map((s) => s.card), after.map((s) => s.rssMb));
  const lastHalf = perCard.filter((s) => s.card >= Math.max(W, Math.floor(done / 2)));
  const fitHalf = linearFit(lastHalf.map((s) => s.card), lastHalf.map((s) => s.rssMb));
  const ms = perCard.map((s) => s.ms).sort((a, b) => a - b);
  const rssAfter = after.map((s) => s.rssMb);
  const growthPer1000 = round(fit.slope * 1000, 1);
  const windows: Report["rssWindows"] = [];
  for (let from = 1; from <= done; from += 100) {
    const win = perCard.filter((s) => s.card >= from && s.card < from + 100);
    const w = win.map((s) => s.rssMb).sort((a, b) => a - b);
    const med = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);
    const medOpt = (xs: (number | undefined)[]) => { const v = xs.filter((n): n is number => n !== undefined); return v.length ? med(v) : null; };
    if (w.length) windows.push({ cards: `${from}–${Math.min(from + 99, done)}`, minMb: w[0], medianMb: pct(w, 50), maxMb: w[w.length - 1], heapUsedMedianMb: med(win.map((s) => s.heapUsedMb)), externalMedianMb: med(win.map((s) => s.externalMb)), mallocMedianMb: medOpt(win.map((s) => s.mallocMb)), wasmMedianMb: medOpt(win.map((s) => s.wasmMb)) });
  }
  const timed = raw.timeSamples;
  const slopeOf = (get: (s: CardSample) => number | undefined): number | null => {
    const pts = after.filter((s) => get(s) !== undefined);
    const f = linearFit(pts.map((s) => s.card), pts.map((s) => get(s) as number));
    return Number.isFinite(f.slope) ? round(f.slope * 100, 2) : null;
  };
  return {
    ...raw,
    generatedAt: new Date().toISOString(),
    msPerCard: { mean: round(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length), 0), p50: round(pct(ms, 50), 0), p95: round(pct(ms, 95), 0), max: round(ms[ms.length - 1] ?? NaN, 0) },
    rss: {
      atStartMb: timed[0]?.rssMb,
      atWarmupMb: perCard.length >= W ? at(W).rssMb : null,
      atLastCardMb: perCard[perCard.length - 1]?.rssMb ?? null,
      lastCard: perCard[perCard.length - 1]?.card ?? 0,
      peakMb: Math.max(...perCard.map((s) => s.rssMb), ...timed.map((s) => s.rssMb)),
      afterWarmupMinMb: rssAfter.length ? Math.min(...rssAfter) : null,
      afterWarmupMaxMb: rssAfter.length ? Math.max(...rssAfter) : null,
      afterWarmupMedianMb: rssAfter.length ? pct([...rssAfter].sort((a, b) => a - b), 50) : null,
      slopeMbPer100Cards: Number.isFinite(fit.slope) ? round(fit.slope * 100, 2) : null,
      slopeLastHalfMbPer100Cards: Number.isFinite(fitHalf.slope) ? round(fitHalf.slope * 100, 2) : null,
      projectedGrowthMbPer1000Cards: Number.isFinite(growthPer1000) ? growthPer1000 : null,
    },
    rssWindows: windows,
    heapSlopeMbPer100Cards: (() => { const f = linearFit(after.map((s) => s.card), after.map((s) => s.heapUsedMb)); return Number.isFinite(f.slope) ? round(f.slope * 100, 2) : null; })(),
    externalSlopeMbPer100Cards: (() => { const f = linearFit(after.map((s) => s.card), after.map((s) => s.externalMb)); return Number.isFinite(f.slope) ? round(f.slope * 100, 2) : null; })(),
    mallocSlopeMbPer100Cards: slopeOf((s) => s.mallocMb),
    wasmSlopeMbPer100Cards: slopeOf((s) => s.wasmMb),
    loadDuring: { mean1min: round(timed.reduce((a, s) => a + s.load1, 0) / Math.max(1, timed.length), 2), max1min: Math.max(...timed.map((s) => s.load1)) },
    overlappingRuns: overlappingRuns(raw),
  };
}

function writeReport(raw: Raw): Report {
  const r = buildReport(raw);
  fs.writeFileSync(path.join(ROOT, "bench/soak.json"), JSON.stringify(r, null, 2) + "\n");
  fs.writeFileSync(path.join(ROOT, "bench/soak.md"), markdown(r));
  fs.writeFileSync(path.join(ROOT, "bench/soak.svg"), svg(r));
  return r;
}

/** Start this script again with OCR_MALLOC_ENV (glibc reads it only at process start); true when a child now runs it. */
function rerunWithMallocEnv(): boolean {
  const missing = missingMallocEnv();
  if (!missing.length || args["report-only"] || args["inherit-env"]) return false;
  const add = Object.fromEntries(missing.map((k) => [k, OCR_MALLOC_ENV[k as keyof typeof OCR_MALLOC_ENV]]));
  console.log(`[bench:soak] restarting with ${Object.entries(add).map(([k, v]) => `${k}=${v}`).join(" ")}, as the worker process runs (server/ocr/malloc-env.ts)`);
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, ...add } });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
  return true;
}

async function main() {
  if (rerunWithMallocEnv()) return;
  if (args["report-only"]) {
    // Re-render bench/soak.md and soak.svg from the raw samples in bench/soak.json (no OCR).
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, "bench/soak.json"), "utf8")) as Raw;
    writeReport(raw);
    console.log("re-rendered bench/soak.md and bench/soak.svg from bench/soak.json");
    return;
  }
  const files = cardFiles();
  if (!files.length) throw new Error("no card images found in bench/ocr-cards or ../shared/fixtures/cards");
  const images = files.map((f) => ({ file: path.relative(ROOT, f), buf: fs.readFileSync(f) }));
  const { createOcrEngine } = await import("../server/ocr");
  const engine = createOcrEngine();
  const sharpConcurrency = (await import("sharp")).default.concurrency();

  const startedAt = new Date();
  const loadStart = loadAvg();
  const busyAtStart = busyProcesses();
  const t0 = performance.now();
  const perCard: CardSample[] = [];
  const timed: TimeSample[] = [];
  const seen: Record<string, { fromCard: number; toCard: number }> = {};
  let done = 0;
  let failures = 0;
  const failureKinds: Record<string, number> = {};
  const lookAround = () => {
    for (const label of concurrentWork([process.ppid]).filter((l) => l !== "bench:soak (OCR soak)")) {
      seen[label] ??= { fromCard: done, toCard: done };
      seen[label].toCard = done;
    }
  };
  const sample = () => {
    const m = process.memoryUsage();
    timed.push({ t: round((performance.now() - t0) / 1000, 1), cards: done, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers), load1: loadAvg()[0] });
  };
  sample();
  lookAround();
  const timer = setInterval(sample, SAMPLE_MS);
  let stopReason = "all cards done";
  let interrupted = false;
  const onSignal = () => { interrupted = true; };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const command = `npm run bench:soak -- --cards ${CARDS}${MAX_MINUTES ? ` --max-minutes ${MAX_MINUTES}` : ""}${WARMUP !== 100 ? ` --warmup ${WARMUP}` : ""}`;
  const raw = (complete: boolean): Raw => ({
    startedAt: startedAt.toISOString(),
    complete,
    command,
    stopReason: complete ? stopReason : "checkpoint (run in progress)",
    machine: machine(),
    engine: "createOcrEngine() from server/ocr — in-process pool of tesseract.js worker threads (default size = CPU count), default pipeline",
    images: { count: images.length, dirs: [...new Set(images.map((i) => path.dirname(i.file)))] },
    cardsRequested: CARDS,
    cardsDone: done,
    failures,
    failureKinds,
    elapsedSeconds: round((performance.now() - t0) / 1000, 1),
    warmupCards: WARMUP,
    samplesEverySeconds: SAMPLE_MS / 1000,
    load: { atStart: loadStart, atEnd: loadAvg() },
    otherProcessesAtStart: busyAtStart,
    concurrentWorkSeen: seen,
    timeSamples: timed,
    perCard,
    mallocEnv: Object.fromEntries(Object.keys(OCR_MALLOC_ENV).map((k) => [k, process.env[k] ?? null])),
    glibc: usesGlibc(),
    sharpConcurrency,
  });
  const write = (complete: boolean) => { if (!args["no-write"]) writeReport(raw(complete)); };

  try {
    for (let i = 0; i < CARDS; i++) {
      if (interrupted) { stopReason = `interrupted after ${done} cards`; break; }
      if (MAX_MINUTES > 0 && performance.now() - t0 > MAX_MINUTES * 60_000) { stopReason = `time budget of ${MAX_MINUTES} min spent after ${done} cards`; break; }
      const img = images[i % images.length];
      const s = performance.now();
      try {
        await engine.scanCard(img.buf);
      } catch (e) {
        failures++;
        const k = (e as Error).name || "Error";
        failureKinds[k] = (failureKinds[k] ?? 0) + 1;
      }
      const ms = performance.now() - s;
      done = i + 1;
      const m = process.memoryUsage();
      const nm = nativeMemory();
      perCard.push({ card: done, t: round((performance.now() - t0) / 1000, 1), rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external), ms: round(ms, 0), ...(nm ? { mallocMb: nm.mallocMb, threadArenasMb: nm.threadArenasMb, wasmMb: nm.wasmMb } : {}) });
      if (done % 10 === 0) lookAround();
      if (done % 25 === 0) console.log(`[bench:soak] ${done}/${CARDS} cards, ${round((performance.now() - t0) / 1000, 0)} s, RSS ${mb(m.rss)} MB, load ${loadAvg()[0]}`);
      if (done % 50 === 0) write(false);
    }
  } finally {
    clearInterval(timer);
    sample();
    await engine.close();
  }
  const r = buildReport(raw(true));
  write(true);
  console.log(JSON.stringify({ cardsDone: r.cardsDone, failures: r.failures, elapsedSeconds: r.elapsedSeconds, msPerCard: r.msPerCard, rss: r.rss, rssWindows: r.rssWindows, load: r.load }, null, 2));
  if (!args["no-write"]) console.log("wrote bench/soak.json, bench/soak.md and bench/soak.svg");
}

function svg(r: Report): string {
  return lineChartSvg({
    title: `OCR soak: process RSS over ${r.cardsDone} cards (createOcrEngine, in-process tesseract workers)`,
    xLabel: "cards processed",
    yLabel: "MB",
    yMin: 0,
    series: [
      { label: "RSS (MB), after each card", color: "#1f77b4", points: r.perCard.map((s) => [s.card, s.rssMb]) },
      { label: "V8 heap used (MB)", color: "#ff7f0e", points: r.perCard.map((s) => [s.card, s.heapUsedMb]), dashed: true },
      ...(r.perCard.some((s) => s.mallocMb !== undefined)
        ? [
            { label: "glibc malloc heaps (MB)", color: "#2ca02c", points: r.perCard.filter((s) => s.mallocMb !== undefined).map((s): [number, number] => [s.card, s.mallocMb as number]) },
            { label: "WASM memories (MB)", color: "#9467bd", points: r.perCard.filter((s) => s.wasmMb !== undefined).map((s): [number, number] => [s.card, s.wasmMb as number]), dashed: true },
          ]
        : []),
    ],
    markers: [{ x: r.warmupCards, label: `warm-up ends (card ${r.warmupCards})` }, ...r.overlappingRuns.map((o) => ({ x: o.fromCard, label: `${o.bench} starts` }))],
  });
}

function mallocLine(r: Report): string {
  if (!r.mallocEnv) return "";
  const set = Object.entries(r.mallocEnv).map(([k, v]) => `\`${k}=${v ?? "(unset)"}\``).join(", ");
  const same = Object.entries(OCR_MALLOC_ENV).every(([k, v]) => r.mallocEnv?.[k] === v);
  const worker = Object.entries(OCR_MALLOC_ENV).map(([k, v]) => `\`${k}=${v}\``).join(", ");
  return `Process settings: ${set}${r.glibc ? " (glibc)" : " (not glibc: these have no effect)"}, ${same ? "the same as the worker process" : `**not** the worker process's ${worker}`} (\`npm run worker\`, see \`server/ocr/malloc-env.ts\` and docs/ocr.md, "Memory over long runs"); sharp/libvips threads: ${r.sharpConcurrency ?? "n/a"}.`;
}

/** Which part of the process grew, from the slopes above (only when the run is not flat). */
function growthNote(r: Report, flat: boolean): string {
  const rss = r.rss.slopeMbPer100Cards;
  if (flat || rss === null || rss <= 0) return "";
  const parts: [string, number | null][] = [
    ["JavaScript objects of the main thread (V8 heap)", r.heapSlopeMbPer100Cards],
    ["Buffers of the main thread (external)", r.externalSlopeMbPer100Cards],
    ["glibc malloc heaps: native allocations of sharp/libvips, OpenCV, the worker threads' V8 isolates, and freed memory glibc keeps mapped", r.mallocSlopeMbPer100Cards],
    ["WASM memories (tesseract.js worker heaps, which only grow until the worker is re-created)", r.wasmSlopeMbPer100Cards],
  ];
  const known = parts.filter((p): p is [string, number] => p[1] !== null);
  if (!known.length) return "";
  const [name, slope] = known.reduce((a, b) => (b[1] > a[1] ? b : a));
  return slope >= rss / 2 ? `Most of the growth (${slope} of ${rss} MB per 100 cards) is in the ${name}.` : `No single measured part accounts for most of the growth (largest: ${name}, ${slope} of ${rss} MB per 100 cards).`;
}

function markdown(r: Report): string {
  const x = r.rss;
  const flat = x.projectedGrowthMbPer1000Cards !== null && x.projectedGrowthMbPer1000Cards < 50;
  const short = r.complete && r.cardsDone < 1000;
  const seen = Object.entries(r.concurrentWorkSeen ?? {}).map(([k, v]) => `${k} (cards ${v.fromCard}–${v.toCard})`);
  const overl = r.overlappingRuns.map((o) => `${o.bench} from ${o.from.slice(11, 19)} to ${o.to.slice(11, 19)} UTC (cards ${o.fromCard}–${o.toCard})`);
  return `# OCR soak benchmark (memory over ${r.cardsDone.toLocaleString("en-US")} cards)

${r.complete ? "" : "**Checkpoint of a run still in progress — not the final figures.**\n\n"}Measured by \`scripts/bench-soak.ts\`, run started ${r.startedAt}.

Reproduce: \`${r.command}\` (the full soak is \`npm run bench:soak\`, i.e. \`--cards 1000\`; \`--max-minutes N\` stops it early on a slow machine).

Machine: ${machineLine(r.machine)}.
Engine: ${r.engine}. Cards are scanned one at a time, cycling through ${r.images.count} images from ${r.images.dirs.map((d) => `\`${d}\``).join(" and ")}.
RSS is the whole process (main thread + the tesseract worker threads, which live in the same process), read with \`process.memoryUsage()\` after every card and every ${r.samplesEverySeconds} s.
${mallocLine(r)}

${short ? `**Cards run: ${r.cardsDone.toLocaleString("en-US")} of the 1,000 of the full soak (${r.stopReason}).** On this busy 2-core machine (see the load below) 1,000 cards did not fit the time available, so the run was cut by \`--max-minutes\` / \`--cards\`; every figure below is over the cards that ran.\n\n` : ""}## Result

| measure | value |
|---|---|
| cards scanned / failed | ${r.cardsDone} / ${r.failures}${r.failures ? ` (${Object.entries(r.failureKinds).map(([k, v]) => `${k}: ${v}`).join(", ")})` : ""} |
| wall time | ${r.elapsedSeconds} s (${round(r.elapsedSeconds / 60, 1)} min) |
| ms per card (mean / p50 / p95 / max) | ${r.msPerCard.mean} / ${r.msPerCard.p50} / ${r.msPerCard.p95} / ${r.msPerCard.max} |
| RSS before the first card | ${x.atStartMb} MB |
| RSS at card ${r.warmupCards} (end of warm-up) | **${x.atWarmupMb ?? "n/a"} MB** |
| RSS at card ${x.lastCard} (last card) | **${x.atLastCardMb ?? "n/a"} MB** |
| RSS after warm-up: min / median / max | ${x.afterWarmupMinMb} / ${x.afterWarmupMedianMb} / ${x.afterWarmupMaxMb} MB |
| peak RSS | ${x.peakMb} MB |
| slope of RSS after warm-up (least squares, cards ${r.warmupCards}–${x.lastCard}) | **${x.slopeMbPer100Cards} MB per 100 cards** (${x.projectedGrowthMbPer1000Cards} MB per 1,000) |
| slope over the second half of the run | ${x.slopeLastHalfMbPer100Cards} MB per 100 cards |

Verdict (criterion: less than 50 MB of growth per 1,000 cards after warm-up, least-squares over every card from ${r.warmupCards} on): **${flat ? "flat" : "NOT flat"}**.

RSS per 100 cards (a leak shows as a rising minimum; the pool's periodic worker re-creation shows as a saw-tooth):

| cards | RSS min MB | RSS median MB | RSS max MB | main-thread V8 heap used, median MB | external (Buffers etc.), median MB | glibc malloc heaps, median MB | WASM memories, median MB |
|---|---|---|---|---|---|---|---|
${r.rssWindows.map((w) => `| ${w.cards} | ${w.minMb} | ${w.medianMb} | ${w.maxMb} | ${w.heapUsedMedianMb} | ${w.externalMedianMb} | ${w.mallocMedianMb ?? "n/a"} | ${w.wasmMedianMb ?? "n/a"} |`).join("\n")}

After warm-up, per 100 cards (least squares): RSS ${x.slopeMbPer100Cards} MB; main-thread V8 heap ${r.heapSlopeMbPer100Cards} MB; external memory ${r.externalSlopeMbPer100Cards} MB; glibc malloc heaps (main + per-thread arenas, from \`/proc/self/smaps\`) ${r.mallocSlopeMbPer100Cards ?? "n/a"} MB; WASM memories (tesseract workers, OpenCV, zxing) ${r.wasmSlopeMbPer100Cards ?? "n/a"} MB.
${growthNote(r, flat)}

The pool re-creates a tesseract worker after \`recycleAfter\` recognitions (300 by default; a card can take several when orientation is retried) because WASM memory only grows,
and a recognition that hits the OCR timeout also gets its worker replaced; both release memory in steps.

![RSS over cards processed](soak.svg)

## Load on the machine

This run shared the 2-core machine with other work, so ms per card (and the OCR timeouts, if any) are inflated; memory is what this benchmark is about.
${overl.length ? `Load benchmarks that ran during the soak (from their reports): ${overl.join("; ")}.` : ""}
${seen.length ? `Other runs seen by \`ps\` during the soak: ${seen.join(", ")}.` : r.concurrentWorkSeen ? "No other benchmark or test run was seen by `ps` during the soak." : ""}
1-minute load average: ${r.load.atStart[0]} at start, ${r.load.atEnd[0]} at end, mean ${r.loadDuring.mean1min}, max ${r.loadDuring.max1min} (5/15-min at start: ${r.load.atStart[1]} / ${r.load.atStart[2]}).
${r.otherProcessesAtStart.length ? `Busiest other processes at start: ${r.otherProcessesAtStart.join("; ")}.` : ""}

Raw samples (per card and every ${r.samplesEverySeconds} s) are in \`bench/soak.json\`.
`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
