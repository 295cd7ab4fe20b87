// Scan business-card images in-process (no server, no database) and print ONE JSON array on stdout.
//   npx tsx scripts/scan.ts [--json] [--region VN] [--verbose] <image files…>
// JSON is the output format (and the only one); `--json` is still accepted, so existing calls keep working.
// stderr: one line per file (time, or why it failed). tesseract's and leptonica's diagnostics ("Detected 156
// diacritics", "Error in boxClipToRectangle: box outside rectangle") are dropped unless --verbose: they say nothing
// about whether a card was read, and they interleave with the per-file lines.
// Exit code (EXIT below): 0 every file was read; 2 some were read and some failed (each failed one has an entry
// with "error"); 1 no file was read, or a usage error.
import fs from "node:fs";
import path from "node:path";
import { createOcrEngine, ImageUnreadableError, type CardScanResult } from "../server/ocr";
import { filterEngineNoise } from "../server/ocr/engine-noise";

export const EXIT = { allRead: 0, noneRead: 1, someFailed: 2, usage: 1 } as const;

const USAGE = "usage: scan [--json] [--region CC] [--verbose] <image files…>";

/** `scan --help`: printed on stdout (it is the answer asked for, not a diagnostic), exit 0. */
export const HELP = `${USAGE}

Reads business-card photos on this machine (no server, no database, nothing leaves it) with
the same OCR pipeline as the web app's card worker, and prints what was found.

Options:
  --region CC   the country (two letters: VN, DE, US, ...) to assume for phone numbers printed
                without a country code, such as "0912 345 678", when the card itself does not
                say (its +NN numbers, its address, its email's or website's country domain
                come first). Numbers written with "+" are read as written.
  --verbose     also show tesseract's and leptonica's diagnostic lines on stderr.
  --json        accepted for compatibility; JSON is the only output format.
  -h, --help    show this help and exit.

Output (stdout): one JSON array with one entry per file, in the order given:
  { "file": the path as given,
    "fields": { "fullName", "title", "company", "email", "phone", "website", "address" },
              each a string, or null when not found,
    "confidence": the same keys, 0..1 (null where the field is null),
    "phones": [{ "e164": "+84912345678", "type": "mobile" | "work" | "fax" | "other" }],
    "fax": E.164 or null, "qr": "vcard" | "mecard" | "url" | "text" | null,
    "text": the OCR text, "ms": milliseconds taken }
  A file that could not be read has {"file", "error"} instead, for example
  "unreadable image: Image too large: 12000×8000 pixels (96 MP); the limit is 50 MP".
stderr: one line per file (its time, or why it failed).

Exit codes:
  0  every file was read
  1  no file was read, or a usage error
  2  some files were read and some failed (those have an "error" entry)
`;

export function toCliEntry(file: string, r: CardScanResult) {
  return {
    file,
    fields: r.fields,
    confidence: r.confidence,
    phones: r.phones.map((p) => ({ e164: p.e164, type: p.type })),
    fax: r.fax,
    qr: r.qr ? r.qr.kind : null,
    text: r.text,
    ms: r.ms,
  };
}

export type CliArgs = { files: string[]; region?: string; verbose: boolean } | { usage: string; help?: boolean };

export function parseArgs(args: string[]): CliArgs {
  const files: string[] = [];
  let region: string | undefined;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") continue; // the default and only format
    if (a === "--verbose") verbose = true;
    else if (a === "--region") {
      region = args[++i];
      if (!region || !/^[A-Za-z]{2}$/.test(region)) return { usage: "--region needs a two-letter country code" };
      region = region.toUpperCase();
    } else if (a === "--help" || a === "-h") return { usage: "", help: true };
    else if (a.startsWith("--")) return { usage: `unknown option ${a}` };
    else files.push(a);
  }
  if (!files.length) return { usage: "no image files given" };
  return { files, region, verbose };
}

/** 0 when every file was read, 2 when some failed, 1 when none was read. */
export function exitCodeFor(entries: { error?: string }[]): number {
  const failed = entries.filter((e) => e.error).length;
  if (!failed) return EXIT.allRead;
  return failed === entries.length ? EXIT.noneRead : EXIT.someFailed;
}

/** Drops tesseract's and leptonica's diagnostic lines from stderr (server/ocr/engine-noise.ts says which and why);
 *  returns the undo. The worker process logs the same lines at debug level instead. */
export function silenceEngineNoise(stream: NodeJS.WriteStream = process.stderr): () => void {
  return filterEngineNoise(stream);
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if ("usage" in parsed) {
    if (parsed.help) {
      process.stdout.write(HELP);
      return EXIT.allRead;
    }
    process.stderr.write(`scan: ${parsed.usage}\n${USAGE}\n(scan --help for the options, the output and the exit codes)\n`);
    return EXIT.usage;
  }
  const { files, region, verbose } = parsed;
  if (!verbose) silenceEngineNoise();

  const engine = createOcrEngine();
  const out: ({ file: string; error: string } | ReturnType<typeof toCliEntry>)[] = [];
  try {
    // One at a time keeps the printed order and per-card timing honest; the pool still reuses workers.
    for (const file of files) {
      let buf: Buffer;
      try {
        buf = fs.readFileSync(file);
      } catch (err) {
        const message = `cannot read file: ${(err as Error).message}`;
        out.push({ file, error: message });
        process.stderr.write(`scan: ${file}: ${message}\n`);
        continue;
      }
      try {
        const r = await engine.scanCard(buf, { defaultRegion: region });
        out.push(toCliEntry(file, r));
        process.stderr.write(`scan: ${path.basename(file)} ${r.ms} ms\n`);
      } catch (err) {
        const message = err instanceof ImageUnreadableError ? `unreadable image: ${err.message}` : `scan failed: ${(err as Error).message}`;
        out.push({ file, error: message });
        process.stderr.write(`scan: ${file}: ${message}\n`);
      }
    }
  } finally {
    await engine.close();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  const code = exitCodeFor(out as { error?: string }[]);
  if (code !== EXIT.allRead) process.stderr.write(`scan: ${out.filter((e) => "error" in e).length} of ${out.length} files failed\n`);
  return code;
}

if (require.main === module) {
  main().then(
    // exitCode, not exit(): stdout (a pipe) is flushed before the process ends.
    (code) => { process.exitCode = code; },
    (err) => {
      process.stderr.write(`scan: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
