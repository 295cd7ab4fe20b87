// Which tesseract languages to load: reads the fixture cards whose true name, company or title
// carries diacritics (German umlauts, French accents, Vietnamese tones) with each language set,
// and counts exact matches *with* diacritics (bench:ocr folds them, so it cannot see this).
// Also measures the accent check (server/ocr/accent-check.ts) on every fixture card: how many
// misread fields the review page flags, how often its proposed spelling is the true one, and
// how many right fields it flags for nothing.
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
/** The review page's "check this" threshold (app/(app)/drafts/[id]/draft-review.tsx). */
const REVIEW_THRESHOLD = 0.75;

// A letter with a mark (é, ä, ệ: it decomposes) or one of the marked letters that do not.
const hasDiacritics = (s: string | null) => !!s && (s.normalize("NFD") !== s.normalize("NFC") || /[ßđĐøØłŁ]/.test(s));

async function main() {
  const raw = JSON.parse(fs.readFileSync(path.join(DIR, "truth.json"), "utf8")) as Truth[] | { cards: Truth[] };
  const all = Array.isArray(raw) ? raw : raw.cards;
  const cards = all.filter((c) => FIELDS.some((f) => hasDiacritics(c[f])));
  if (!cards.length) throw new Error(`no card in ${DIR} has diacritics in ${FIELDS.join(", ")}`);
  const diacriticFiles = new Set(cards.map((c) => c.file));
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
    // The accent check, over every card: misread fields with diacritics (flagged? right spelling
    // proposed?), and hints on fields that were read right (false alarms).
    const accents = { misread: 0, flagged: 0, hinted: 0, rightSuggestion: 0, falseAlarms: [] as string[], fieldsChecked: 0 };
    for (const c of all) {
      const t0 = performance.now();
      // A card that fails (an OCR timeout) counts as read wrong, with its time.
      const r = await engine
        .scanCard(fs.readFileSync(path.join(DIR, c.file)))
        .catch((e: Error) => ({ fields: {} as Partial<Record<Field, string | null>>, confidence: {} as Partial<Record<Field, number | null>>, hints: undefined, ms: performance.now() - t0, error: e.message }));
      const inSubset = diacriticFiles.has(c.file);
      if (inSubset) ms.push(r.ms);
      if ("error" in r && inSubset) failures.push(`${c.file}: ${r.error}`);
      for (const f of FIELDS) {
        const read = r.fields[f] ?? null;
        const ok = read === c[f];
        const hint = r.hints?.[f];
        accents.fieldsChecked++;
        if (ok && hint) accents.falseAlarms.push(`${c.file} ${f}: ${JSON.stringify(read)} (proposed ${JSON.stringify(hint.suggestion)})`);
        if (!inSubset) continue;
        if (ok) exact[f]++;
        if (hasDiacritics(c[f])) {
          withDiacritics[f].n++;
          if (ok) withDiacritics[f].exact++;
          else {
            const conf = r.confidence[f] ?? null;
            const flagged = read === null || (conf !== null && conf < REVIEW_THRESHOLD);
            accents.misread++;
            if (flagged) accents.flagged++;
            if (hint) accents.hinted++;
            if (hint && hint.suggestion === c[f]) accents.rightSuggestion++;
            misses.push(`${c.file} ${f}: ${JSON.stringify(read)} for ${JSON.stringify(c[f])}${flagged ? " · flagged" : " · NOT flagged"}${hint ? ` · proposed ${JSON.stringify(hint.suggestion)}` : ""}`);
          }
        }
      }
    }
    await engine.close();
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    results.push({ langs: set, cards: cards.length, exact, withDiacritics, meanMs: Math.round(mean), misses, failures, accents, allCards: all.length });
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

## The accent check (flagging for review)

A misread field is **flagged** when the review page marks it "check this" (confidence under ${REVIEW_THRESHOLD}, or empty). The accent check (server/ocr/accent-check.ts) lowers the confidence of a name or company that lost its accents and proposes the usual spelling; it never changes the value. False alarms are counted over all ${all.length} fixture cards (${all.length * FIELDS.length} name, company and title fields).

| languages | misread fields with diacritics | flagged for review | with a proposed spelling | proposal exactly right | false alarms (a right field with a proposal) |
|---|---|---|---|---|---|
${results.map((r) => `| ${r.langs} | ${r.accents.misread} | ${r.accents.flagged} | ${r.accents.hinted} | ${r.accents.rightSuggestion} | ${r.accents.falseAlarms.length} of ${r.accents.fieldsChecked} |`).join("\n")}

${results.map((r) => (r.accents.falseAlarms.length ? `False alarms with ${r.langs}: ${r.accents.falseAlarms.join("; ")}.` : `No false alarm with ${r.langs}.`)).join("\n")}

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
