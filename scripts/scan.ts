// Scan business-card images in-process (no server, no database) and print ONE JSON array on stdout.
//   npx tsx scripts/scan.ts --json [--region VN] <image files…>
// Logs go to stderr. Exit code is non-zero only on usage errors; an unreadable file gives an entry with "error".
import fs from "node:fs";
import path from "node:path";
import { createOcrEngine, ImageUnreadableError, type CardScanResult } from "../server/ocr";

function usage(msg?: string): never {
  if (msg) process.stderr.write(`scan: ${msg}\n`);
  process.stderr.write("usage: scan --json [--region CC] <image files…>\n");
  process.exit(2);
}

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

async function main() {
  const args = process.argv.slice(2);
  const files: string[] = [];
  let json = false;
  let region: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") json = true;
    else if (a === "--region") {
      region = args[++i];
      if (!region || !/^[A-Za-z]{2}$/.test(region)) usage("--region needs a two-letter country code");
      region = region.toUpperCase();
    } else if (a === "--help" || a === "-h") usage();
    else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else files.push(a);
  }
  if (!json) usage("--json is required (the only output format)");
  if (!files.length) usage("no image files given");

  const engine = createOcrEngine();
  const out: unknown[] = [];
  try {
    // One at a time keeps the printed order and per-card timing honest; the pool still reuses workers.
    for (const file of files) {
      let buf: Buffer;
      try {
        buf = fs.readFileSync(file);
      } catch (err) {
        out.push({ file, error: `cannot read file: ${(err as Error).message}` });
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
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`scan: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
