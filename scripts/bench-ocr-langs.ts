// Which tesseract languages to load: reads the fixture cards whose true name, company or title
// carries diacritics (German umlauts, French accents, Vietnamese tones) with each language set,
// and counts exact matches *with* diacritics (bench:ocr folds them, so it cannot see this).
//   npm run bench:ocr-langs -- [--dir ../shared/fixtures/cards] [--langs "eng+vie eng+vie+deu+fra"] [--no-write]
// Needs the @tesseract.js-data/<lang> packages of every set (deu and fra are devDependencies
// for this comparison only). Writes bench/ocr-langs.md and .json. No figure is hard-coded.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createOcrEngine } from "../server/ocr/engine";

const { values: args } = parseArgs({
  options: { dir: { type: "string", default: "../shared/fixtures/cards" }, langs: { type: "string", default: "eng+vie eng+vie+deu+fra" }, "no-write": { type: "boolean", default: false } },
});
const REPO = path.resolve(__dirname, "..");
const DIR = path.resolve(REPO, String(args.dir));
const FIELDS = ["fullName", "company", "title"] as const;
type Field = (typeof FIELDS)[number];
interface Truth { file: string; fullName: string | null; company: string | null; title: string | null }

// A letter with a mark (é, ä, ệ: it decomposes) or one of the marked letters that do not.
const hasDiacritics = (s: string | null) => !!s && (s.normalize("NFD") !== s.normalize("NFC") || /[ßđĐøØłŁ]/.test(s));

async function main() {
  const raw = JSON.parse(fs.readFileSync(path.join(DIR, "truth.json"), "utf8")) as Truth[] | { cards: Truth[] };
  const all = Array.isArray(raw) ? raw : raw.cards;
  const cards = all.filter((c) => FIELDS.some((f) => hasDiacritics(c[f])));
  if (!cards.length) throw new Error(`no card in ${DIR} has diacritics in ${FIELDS.join(", ")}`);
  const sets = String(args.langs).split(/\s+/).filter(Boolean);
  const results = [];
  for (const set of sets) {
    const engine = createOcrEngine({ langs: set.split("+"), size: 1, cachePath: path.join(os.tmpdir(), `sales-agent-ocr-langs-${set}`) });
    await engine.scanCard(fs.readFileSync(path.join(DIR, cards[0].file))); // warm-up: model load, JIT
    const exact: Record<Field, number> = { fullName: 0, company: 0, title: 0 };
    const withDiacritics: Record<Field, { n: number; exact: number }> = { fullName: { n: 0, exact: 0 }, company: { n: 0, exact: 0 }, title: { n: 0, exact: 0 } };
    const ms: number[] = [];
    const misses: string[] = [];
    const failures: string[] = [];
    for (const c of cards) {
      const t0 = performance.now();
      // A card that fails (an OCR timeout) counts as read wrong, with its time.
      const r = await engine.scanCard(fs.readFileSync(path.join(DIR, c.file))).catch((e: Error) => ({ fields: {} as Partial<Record<Field, string | null>>, ms: performance.now() - t0, error: e.message }));
      ms.push(r.ms);
      if ("error" in r) failures.push(`${c.file}: ${r.error}`);
      for (const f of FIELDS) {
        const ok = (r.fields[f] ?? null) === c[f];
        if (ok) exact[f]++;
        if (hasDiacritics(c[f])) {
          withDiacritics[f].n++;
          if (ok) withDiacritics[f].exact++;
          else misses.push(`${c.file} ${f}: ${JSON.stringify(r.fields[f] ?? null)} for ${JSON.stringify(c[f])}`);
        }
      }
    }
    await engine.close();
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    results.push({ langs: set, cards: cards.length, exact, withDiacritics, meanMs: Math.round(mean), misses, failures });
    console.log(`${set}: exact ${JSON.stringify(exact)} of ${cards.length}, mean ${Math.round(mean)} ms`);
  }
  const report = { generatedAt: new Date().toISOString(), command: `npx tsx scripts/bench-ocr-langs.ts --dir ${args.dir} --langs "${args.langs}"`, machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`, cards: cards.map((c) => c.file), results };
  if (args["no-write"]) return;
  fs.writeFileSync(path.join(REPO, "bench/ocr-langs.json"), JSON.stringify(report, null, 2) + "\n");
  const md = `# OCR languages and diacritics

Measured by \`scripts/bench-ocr-langs.ts\` at ${report.generatedAt} on ${report.machine} (one tesseract worker, in-process, after one warm-up card).

Reproduce: \`${report.command}\`

Cards: the ${cards.length} fixture cards whose true name, company or title has diacritics (${report.cards.join(", ")}). A field counts only when it matches **exactly, diacritics included** (bench/ocr.md folds diacritics, so it cannot show this).

| languages | exact name | exact company | exact title | fields with diacritics read exactly | mean ms per card | cards that failed |
|---|---|---|---|---|---|---|
${results.map((r) => `| ${r.langs} | ${r.exact.fullName} / ${r.cards} | ${r.exact.company} / ${r.cards} | ${r.exact.title} / ${r.cards} | ${FIELDS.reduce((a, f) => a + r.withDiacritics[f].exact, 0)} / ${FIELDS.reduce((a, f) => a + r.withDiacritics[f].n, 0)} | ${r.meanMs} | ${r.failures.length ? r.failures.join("; ") : "none"} |`).join("\n")}

Fields with diacritics not read exactly:
${results.map((r) => `\n* ${r.langs}:\n${r.misses.map((m) => `  * ${m}`).join("\n") || "  * none"}`).join("\n")}
`;
  fs.writeFileSync(path.join(REPO, "bench/ocr-langs.md"), md);
  console.log("wrote bench/ocr-langs.md and bench/ocr-langs.json");
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
