// OCR benchmark: runs the scan pipeline (in-process engine, as the CLI does) over card photos with a truth.json
// and reports per-field accuracy by difficulty, latency (median / p95 per card) and peak RSS.
//   npx tsx scripts/bench-ocr.ts [--dir ../shared/fixtures/cards] [--dir bench/ocr-cards] [--ablation] [--no-write] [--dump FILE]
// Writes bench/ocr.md and bench/ocr.json (unless --no-write). No figure is hard-coded: everything is measured here.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createOcrEngineWithConfig, DEFAULT_PIPELINE, type PipelineConfig } from "../server/ocr/engine";
import { NO_PREPROCESS } from "../server/ocr/preprocess";
import type { CardScanResult, FieldKey } from "../server/ocr";

interface Truth {
  file: string;
  fullName: string | null;
  title: string | null;
  company: string | null;
  email: string | null;
  phones: string[];
  fax: string | null;
  website: string | null;
  address: string | null;
  titleAlt?: string[];
  companyAlt?: string[];
  difficulty?: string;
  hasQr?: boolean;
}

const FIELDS: FieldKey[] = ["fullName", "title", "company", "email", "phone", "website", "address"];
const REPO = path.resolve(__dirname, "..");

/** The issue's rule: exact match after normalising case, spaces and diacritics (dash variants count as one). */
export function norm(s: string | null | undefined): string {
  if (s == null) return "";
  return s
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .replace(/ß/g, "ss")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[‐‑‒–—−]/g, "-")
    .replace(/\s*,\s*/g, ", ")
    .replace(/\s+/g, " ")
    .trim();
}

function fieldCorrect(key: FieldKey, r: CardScanResult["fields"], t: Truth): boolean {
  const got = r[key];
  switch (key) {
    case "phone":
      // Correct when our phone is one of the card's (non-fax) numbers; "phoneFirst" below is the strict variant.
      return t.phones.length === 0 ? got === null : got !== null && t.phones.includes(got);
    case "title":
      return t.title === null ? got === null : [t.title, ...(t.titleAlt ?? [])].some((x) => norm(x) === norm(got));
    case "company":
      return t.company === null ? got === null : [t.company, ...(t.companyAlt ?? [])].some((x) => norm(x) === norm(got));
    default:
      return norm(t[key]) === norm(got);
  }
}

interface CardOutcome {
  file: string;
  dataset: string;
  difficulty: string;
  ms: number;
  correct: Record<string, boolean>;
  got: CardScanResult["fields"];
  error?: string;
}

function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** --dump FILE: per-card OCR text, result and truth for the wrong fields (a scratch file for finding failure causes). */
let dumpFile: string | null = null;

async function runSet(dirs: string[], config: PipelineConfig, log: (s: string) => void): Promise<CardOutcome[]> {
  const engine = createOcrEngineWithConfig({}, config);
  const out: CardOutcome[] = [];
  try {
    for (const dir of dirs) {
      const truth = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")) as Truth[];
      const dataset = path.basename(path.resolve(dir));
      for (const t of truth) {
        const buf = fs.readFileSync(path.join(dir, t.file));
        try {
          const r = await engine.scanCard(buf);
          const correct: Record<string, boolean> = {};
          for (const k of FIELDS) correct[k] = fieldCorrect(k, r.fields, t);
          correct.phoneFirst = t.phones.length === 0 ? r.fields.phone === null : r.fields.phone === t.phones[0];
          correct.fax = (t.fax ?? null) === r.fax;
          out.push({ file: t.file, dataset, difficulty: t.difficulty ?? "own", ms: r.ms, correct, got: r.fields });
          const wrong = FIELDS.filter((k) => !correct[k]);
          log(`${dataset}/${t.file} ${r.ms} ms${wrong.length ? "  wrong: " + wrong.map((k) => `${k}=${JSON.stringify(r.fields[k])}`).join(" ") : ""}`);
          if (dumpFile) {
            const diff = wrong.map((k) => `  ${k}: got ${JSON.stringify(r.fields[k])} want ${JSON.stringify(k === "phone" ? t.phones : t[k as keyof Truth])}`).join("\n");
            fs.appendFileSync(dumpFile, `=== ${dataset}/${t.file} (${t.difficulty ?? "own"}) ${r.ms} ms qr=${r.qr?.kind ?? "-"}\n${diff}\n--- text\n${r.text}\n\n`);
          }
        } catch (err) {
          out.push({ file: t.file, dataset, difficulty: t.difficulty ?? "own", ms: 0, correct: {}, got: {} as CardScanResult["fields"], error: String(err) });
          log(`${dataset}/${t.file} ERROR ${err}`);
        }
      }
    }
  } finally {
    await engine.close();
  }
  return out;
}

type Summary = Record<string, number> & { n: number };

function summarize(rows: CardOutcome[]): Summary {
  const s: Summary = { n: rows.length } as Summary;
  for (const k of [...FIELDS, "phoneFirst", "fax"]) s[k] = rows.length ? rows.filter((r) => r.correct[k]).length / rows.length : 0;
  const ms = rows.map((r) => r.ms);
  s.medianMs = percentile(ms, 50);
  s.p95Ms = percentile(ms, 95);
  return s;
}

function table(groups: [string, Summary][]): string {
  const cols = ["n", ...FIELDS, "phoneFirst", "fax", "medianMs", "p95Ms"];
  const head = `| set | ${cols.join(" | ")} |\n|${" --- |".repeat(cols.length + 1)}`;
  const lines = groups.map(([name, s]) => `| ${name} | ${cols.map((c) => (c === "n" || c.endsWith("Ms") ? String(Math.round(s[c])) : s[c].toFixed(2))).join(" | ")} |`);
  return [head, ...lines].join("\n");
}

// Cumulative variants, spelled out (not relative to DEFAULT_PIPELINE) so each row means what its name says.
const FULL_PRE = { crop: true, invertDark: true, flatten: true, normalize: true, targetLongSide: 1800, textCheck: false };
const TEXT_PRE = { ...FULL_PRE, textCheck: true };
const BASE: PipelineConfig = { preprocess: NO_PREPROCESS, psm: "11", qr: false, tryRotations: false };
const ABLATION: [string, PipelineConfig][] = [
  ["plain tesseract (no preprocessing, PSM 11)", BASE],
  ["+ crop & perspective (card outline)", { ...BASE, preprocess: { ...NO_PREPROCESS, crop: true, targetLongSide: 1800 } }],
  ["+ invert dark cards", { ...BASE, preprocess: { ...NO_PREPROCESS, crop: true, invertDark: true, targetLongSide: 1800 } }],
  ["+ flatten illumination", { ...BASE, preprocess: { ...FULL_PRE, normalize: false } }],
  ["+ normalize contrast", { ...BASE, preprocess: FULL_PRE }],
  ["+ text-line check of the outline, crop around the text", { ...BASE, preprocess: TEXT_PRE }],
  ["+ orientation retry (180/90/270 when quality < 0.5)", { ...BASE, preprocess: TEXT_PRE, tryRotations: true }],
  ["+ QR (= default pipeline)", { ...BASE, preprocess: TEXT_PRE, tryRotations: true, qr: true }],
  ["default but long side 1400", { ...BASE, preprocess: { ...TEXT_PRE, targetLongSide: 1400 }, tryRotations: true, qr: true }],
];

async function main() {
  const args = process.argv.slice(2);
  const dirs: string[] = [];
  let ablation = false;
  let write = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--dir") dirs.push(args[++i]);
    else if (args[i] === "--ablation") ablation = true;
    else if (args[i] === "--no-write") write = false;
    else if (args[i] === "--dump") { dumpFile = args[++i]; fs.writeFileSync(dumpFile, ""); }
    else {
      process.stderr.write(`unknown argument ${args[i]}\nusage: bench-ocr [--dir DIR]... [--ablation] [--no-write] [--dump FILE]\n`);
      process.exit(2);
    }
  }
  if (!dirs.length) {
    for (const d of [path.join(REPO, "../shared/fixtures/cards"), path.join(REPO, "bench/ocr-cards")]) if (fs.existsSync(path.join(d, "truth.json"))) dirs.push(d);
  }
  if (!dirs.length) {
    process.stderr.write("no card folder with truth.json found; pass --dir\n");
    process.exit(2);
  }
  const log = (s: string) => process.stderr.write(s + "\n");

  const loadBefore = os.loadavg()[0];
  const rows = await runSet(dirs, DEFAULT_PIPELINE, log);
  const loadAfter = os.loadavg()[0];
  const groups: [string, Summary][] = [];
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  for (const ds of datasets) {
    const dsRows = rows.filter((r) => r.dataset === ds);
    const diffs = [...new Set(dsRows.map((r) => r.difficulty))];
    if (diffs.length > 1) for (const d of ["scan", "photo", "hard", ...diffs.filter((x) => !["scan", "photo", "hard"].includes(x))]) {
      const sub = dsRows.filter((r) => r.difficulty === d);
      if (sub.length) groups.push([`${ds} / ${d}`, summarize(sub)]);
    }
    groups.push([`${ds} / all`, summarize(dsRows)]);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  let ablationGroups: [string, Summary][] = [];
  if (ablation) {
    const fixtureDirs = dirs.slice(0, 1);
    for (const [name, cfg] of ABLATION) {
      log(`--- ablation: ${name}`);
      const r = await runSet(fixtureDirs, cfg, () => undefined);
      ablationGroups.push([`${name} — photo+hard`, summarize(r.filter((x) => x.difficulty !== "scan"))]);
      ablationGroups.push([`${name} — all`, summarize(r)]);
      log(table(ablationGroups.slice(-2)));
    }
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const cmd = `npx tsx scripts/bench-ocr.ts${args.length ? " " + args.join(" ") : ""}`;
  const md = [
    "# OCR benchmark",
    "",
    `Generated by \`${cmd}\` (same as \`npm run bench:ocr${args.length ? " -- " + args.join(" ") : ""}\`) on ${new Date().toISOString().slice(0, 10)}.`,
    "",
    `Machine: ${machine}. Engine: in-process pool (${os.cpus().length} tesseract workers, eng+vie best_int, PSM ${DEFAULT_PIPELINE.psm}); cards scanned one at a time, so ms is the latency of one card including preprocessing, QR and parsing. The first card includes worker start-up.`,
    "",
    "Accuracy = share of cards where the field is right. Text fields: exact match after Unicode NFC, case-fold, whitespace and diacritics normalisation (dash variants –/—/- treated alike); `title`/`company` also accept `titleAlt`/`companyAlt`. A field whose truth is null is right when we return null. `phone` = our phone is one of the truth `phones` (non-fax numbers, E.164); `phoneFirst` = our phone equals `phones[0]` (stricter); `fax` = fax equals truth fax (null = null).",
    "",
    table(groups),
    "",
    `Peak RSS of the benchmark process (main thread + tesseract worker threads): ${Math.round(peakRssMb)} MB.`,
    "",
    `1-minute load average at start / end of the main run: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} (on ${os.cpus().length} cores; other processes on the machine inflate the ms figures).`,
    "",
    ...(ablation ? ["## What each step buys (fixtures, cumulative)", "", table(ablationGroups), ""] : []),
  ].join("\n");
  const json = {
    command: cmd,
    machine,
    date: new Date().toISOString(),
    pipeline: DEFAULT_PIPELINE,
    groups: Object.fromEntries(groups),
    peakRssMb: Math.round(peakRssMb),
    loadAverage: { start: loadBefore, end: loadAfter },
    cards: rows,
    ...(ablation ? { ablation: Object.fromEntries(ablationGroups) } : {}),
  };
  process.stdout.write(md + "\n");
  if (write) {
    fs.mkdirSync(path.join(REPO, "bench"), { recursive: true });
    fs.writeFileSync(path.join(REPO, "bench/ocr.md"), md);
    fs.writeFileSync(path.join(REPO, "bench/ocr.json"), JSON.stringify(json, null, 2) + "\n");
  }
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + "\n");
  process.exit(1);
});
