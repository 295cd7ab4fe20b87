// Local tesseract language data. Nothing is downloaded: the traineddata ships in @tesseract.js-data/<lang> npm packages.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { nodeRequire } from "./node-require";

/** The "best_int" (LSTM-only, integer) models: 3x smaller and faster than the legacy+LSTM ones, same LSTM accuracy. */
const MODEL_FOLDER = "4.0.0_best_int";

function packageFolder(lang: string): string {
  const pkgJson = nodeRequire.resolve(`@tesseract.js-data/${lang}/package.json`);
  return path.join(path.dirname(pkgJson), MODEL_FOLDER);
}

export function defaultCachePath(): string {
  return process.env.OCR_CACHE_DIR || path.join(os.tmpdir(), "sales-agent-ocr");
}

/**
 * tesseract.js reads every language from one `langPath` folder, but each language lives in its own npm package.
 * Copy the (gzipped) files into one folder under the cache path once; returns that folder and whether files are gzipped.
 */
export function prepareLangPath(langs: string[], cachePath: string): { langPath: string; gzip: boolean } {
  const langPath = path.join(cachePath, "lang-" + MODEL_FOLDER);
  fs.mkdirSync(langPath, { recursive: true });
  let gzip = true;
  for (const lang of langs) {
    const folder = packageFolder(lang);
    const gz = path.join(folder, `${lang}.traineddata.gz`);
    const plain = path.join(folder, `${lang}.traineddata`);
    const src = fs.existsSync(gz) ? gz : plain;
    if (!fs.existsSync(src)) throw new Error(`OCR language data for "${lang}" not found in ${folder}`);
    if (src === plain) gzip = false;
    const dest = path.join(langPath, path.basename(src));
    const srcSize = fs.statSync(src).size;
    if (!fs.existsSync(dest) || fs.statSync(dest).size !== srcSize) {
      // Copy to a temp name and rename, so a concurrent process never reads a half-written file.
      const tmp = `${dest}.${process.pid}.tmp`;
      fs.copyFileSync(src, tmp);
      fs.renameSync(tmp, dest);
    }
  }
  return { langPath, gzip };
}
