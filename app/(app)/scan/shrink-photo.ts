// Phones with 48 and 50 megapixel cameras take photos the server refuses (over MAX_PIXELS, 40 MP, or MAX_FILE_BYTES,
// 15 MB: the limits that stop decompression bombs) and that are slow to send over a trade show's Wi-Fi. Such a
// photo is made smaller here, in the browser, before it is sent: 16 MP is still several times what reading one
// card needs. Photos within the limits are sent untouched (their bytes, so a second upload of the same photo is
// still recognised as one). A photo the browser cannot decode is sent as it is: the server says what is wrong.
import { MAX_FILE_BYTES, MAX_PIXELS } from "@/server/cards/image-rules";

/** The size a photo over the limits is brought down to. */
export const SHRUNK_PIXELS = 16_000_000;
/** Below this a camera photo is well within the limits, and is not decoded at all (decoding 50 photos takes seconds). */
const DECODE_ABOVE_BYTES = 2 * 1024 * 1024;
const SHRINKABLE = new Set(["image/jpeg", "image/png", "image/webp"]);

export async function shrinkIfTooBig(file: File): Promise<File> {
  if (!SHRINKABLE.has(file.type) || file.size <= DECODE_ABOVE_BYTES || typeof createImageBitmap !== "function") return file;
  let bitmap: ImageBitmap;
  try {
    // Upright as the camera meant it (EXIF orientation): the canvas below keeps no EXIF.
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file;
  }
  try {
    const pixels = bitmap.width * bitmap.height;
    if (pixels <= MAX_PIXELS && file.size <= MAX_FILE_BYTES) return file;
    const scale = Math.min(1, Math.sqrt(SHRUNK_PIXELS / pixels));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.floor(bitmap.width * scale));
    canvas.height = Math.max(1, Math.floor(bitmap.height * scale));
    const ctx = canvas.getContext("2d");
    if (!ctx) return file;
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    if (!blob) return file;
    const name = file.type === "image/jpeg" ? file.name : `${file.name.replace(/\.[^.]*$/, "")}.jpg`;
    return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
  } finally {
    bitmap.close();
  }
}
