// QR decoding with zxing-wasm (ZXing C++): handles perspective and small codes better than pure-JS decoders.
import fs from "node:fs";
import { nodeRequire } from "./node-require";

type ReaderModule = typeof import("zxing-wasm/reader");
let ready: Promise<ReaderModule> | null = null;

function loadReader(): Promise<ReaderModule> {
  ready ??= (async () => {
    const mod = (await import("zxing-wasm/reader")) as ReaderModule;
    // By default the module fetches its .wasm from a CDN; hand it the local file instead (no network at run time).
    const wasmPath = nodeRequire.resolve("zxing-wasm/reader/zxing_reader.wasm");
    const bin = fs.readFileSync(wasmPath);
    await mod.prepareZXingModule({
      overrides: { wasmBinary: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer },
      fireImmediately: true,
    });
    return mod;
  })();
  ready.catch(() => { ready = null; });
  return ready;
}

/** First QR code's text in an RGBA image, or null. */
export async function decodeQr(rgba: Buffer, width: number, height: number): Promise<string | null> {
  const zx = await loadReader();
  const data = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, width * height * 4);
  const results = await zx.readBarcodes({ data, width, height, colorSpace: "srgb" } as ImageData, {
    formats: ["QRCode"],
    tryHarder: true,
    maxNumberOfSymbols: 1,
  });
  const hit = results.find((r) => r.isValid && r.text);
  return hit ? hit.text : null;
}
