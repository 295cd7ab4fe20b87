// Generate our own card "photos" (independent of the shared fixtures) into bench/ocr-cards/ with a truth.json.
// Cards are drawn as SVG with system fonts (DejaVu / Liberation), laid on a generated surface, rotated and
// put in perspective with OpenCV, then blurred, noised and JPEG-compressed like a phone photo.
//   npx tsx scripts/make-test-cards.ts
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { loadOpenCv } from "../server/ocr/opencv";

interface Spec {
  file: string;
  difficulty: "own";
  fullName: string; printedName: string; title: string; company: string; email: string;
  phones: { label: string; printed: string; e164: string }[];
  fax: { printed: string; e164: string } | null;
  website: string | null; printedWebsite: string | null;
  address: string[] | null;
  font: string; layout: "left" | "centered" | "right-block" | "dark"; surface: [number, number, number]; angle: number; tilt: number;
}

const SPECS: Spec[] = [
  { file: "own-01.jpg", difficulty: "own", fullName: "Margaret Ellison", printedName: "Margaret Ellison", title: "Regional Sales Director", company: "Brightwater Analytics Inc.", email: "m.ellison@brightwater-analytics.com",
    phones: [{ label: "Direct", printed: "(415) 555-0172", e164: "+14155550172" }, { label: "Cell", printed: "(415) 555-0199", e164: "+14155550199" }], fax: null,
    website: "brightwater-analytics.com", printedWebsite: "www.brightwater-analytics.com", address: ["88 Harbor Street, Suite 400", "San Francisco, CA 94105"],
    font: "Liberation Serif", layout: "left", surface: [92, 64, 40], angle: -6, tilt: 0.08 },
  { file: "own-02.jpg", difficulty: "own", fullName: "Đặng Quốc Bảo", printedName: "ĐẶNG QUỐC BẢO", title: "Giám đốc Kinh doanh", company: "Công ty Cổ phần Công nghệ Hòa Bình", email: "bao.dq@hoabinh-tech.vn",
    phones: [{ label: "DĐ:", printed: "0903 456 789", e164: "+84903456789" }, { label: "ĐT:", printed: "028 3822 4455", e164: "+842838224455" }], fax: null,
    website: "hoabinh-tech.vn", printedWebsite: "hoabinh-tech.vn", address: ["12 Lê Lợi, Phường Bến Nghé", "Quận 1, TP. Hồ Chí Minh"],
    font: "DejaVu Sans", layout: "centered", surface: [200, 200, 195], angle: 4, tilt: 0.12 },
  { file: "own-03.jpg", difficulty: "own", fullName: "Fiona Campbell", printedName: "Dr. Fiona Campbell", title: "Head of Research", company: "Thistledown Biologics Ltd", email: "fiona.campbell@thistledown.co.uk",
    phones: [{ label: "T", printed: "0131 496 0321", e164: "+441314960321" }, { label: "M", printed: "07700 900412", e164: "+447700900412" }], fax: { printed: "0131 496 0322", e164: "+441314960322" },
    website: "thistledown.co.uk", printedWebsite: "thistledown.co.uk", address: ["5 Canongate Walk", "Edinburgh EH8 8AA"],
    font: "Liberation Sans", layout: "right-block", surface: [40, 42, 48], angle: -12, tilt: 0.1 },
  { file: "own-04.jpg", difficulty: "own", fullName: "Lukas Brandt", printedName: "Lukas Brandt", title: "Geschäftsführer", company: "Brandt & Söhne Maschinenbau GmbH", email: "l.brandt@brandt-maschinenbau.de",
    phones: [{ label: "Tel.", printed: "089 4521 3370", e164: "+498945213370" }, { label: "Mobil", printed: "0171 2345678", e164: "+491712345678" }], fax: { printed: "089 4521 3371", e164: "+498945213371" },
    website: "brandt-maschinenbau.de", printedWebsite: "www.brandt-maschinenbau.de", address: ["Leopoldstraße 210", "80804 München"],
    font: "DejaVu Serif", layout: "dark", surface: [150, 120, 90], angle: 9, tilt: 0.06 },
  { file: "own-05.jpg", difficulty: "own", fullName: "Chloé Marchand", printedName: "Chloé Marchand", title: "Responsable des achats", company: "Lumière Textiles SARL", email: "c.marchand@lumiere-textiles.fr",
    phones: [{ label: "Tél.", printed: "04 72 00 31 45", e164: "+33472003145" }, { label: "Mob.", printed: "06 12 34 56 78", e164: "+33612345678" }], fax: null,
    website: "lumiere-textiles.fr", printedWebsite: "lumiere-textiles.fr", address: ["14 rue de la République", "69002 Lyon"],
    font: "Liberation Serif", layout: "centered", surface: [70, 90, 110], angle: -3, tilt: 0.15 },
  { file: "own-06.jpg", difficulty: "own", fullName: "Rajesh Kumar", printedName: "Rajesh Kumar", title: "Senior Solutions Architect", company: "Meridian Cloud Pte. Ltd.", email: "rajesh.kumar@meridiancloud.sg",
    phones: [{ label: "Mobile", printed: "+65 9123 4567", e164: "+6591234567" }, { label: "Office", printed: "+65 6234 5678", e164: "+6562345678" }], fax: null,
    website: "meridiancloud.sg", printedWebsite: "https://meridiancloud.sg", address: ["1 Fusionopolis Way, #20-03", "Singapore 138632"],
    font: "DejaVu Sans", layout: "left", surface: [120, 100, 80], angle: 15, tilt: 0.05 },
  { file: "own-07.jpg", difficulty: "own", fullName: "Olivia Harper", printedName: "OLIVIA HARPER", title: "Marketing Manager", company: "Saltbush Wines Pty Ltd", email: "olivia@saltbushwines.com.au",
    phones: [{ label: "M", printed: "0412 345 678", e164: "+61412345678" }], fax: null,
    website: "saltbushwines.com.au", printedWebsite: "saltbushwines.com.au", address: ["22 Vine Street", "Adelaide SA 5000"],
    font: "Liberation Sans", layout: "right-block", surface: [225, 222, 215], angle: -8, tilt: 0.1 },
  { file: "own-08.jpg", difficulty: "own", fullName: "Trịnh Thu Hà", printedName: "Trịnh Thu Hà", title: "Kế toán trưởng", company: "Công ty TNHH Thực phẩm Sông Hồng", email: "ha.tt@songhongfood.com.vn",
    phones: [{ label: "Hotline:", printed: "1900 6868", e164: "+8419006868" }, { label: "Di động:", printed: "0988 112 233", e164: "+84988112233" }], fax: null,
    website: "songhongfood.com.vn", printedWebsite: "www.songhongfood.com.vn", address: ["45 Tràng Tiền, Quận Hoàn Kiếm", "Hà Nội"],
    font: "DejaVu Serif", layout: "dark", surface: [60, 50, 45], angle: 5, tilt: 0.12 },
  // Harder ones: cards lying sideways or upside down, white cards on paper-coloured surfaces, dark on dark.
  { file: "own-09.jpg", difficulty: "own", fullName: "Henry Whitcombe", printedName: "Henry Whitcombe", title: "Chief Operating Officer", company: "Kestrel Ridge Partners LLP", email: "h.whitcombe@kestrelridge.co.uk",
    phones: [{ label: "Tel", printed: "020 7946 0815", e164: "+442079460815" }, { label: "Mob", printed: "07700 900733", e164: "+447700900733" }], fax: null,
    website: "kestrelridge.co.uk", printedWebsite: "www.kestrelridge.co.uk", address: ["14 Bedford Row", "London WC1R 4ED"],
    font: "Liberation Sans", layout: "left", surface: [232, 228, 218], angle: 90, tilt: 0.06 },
  { file: "own-10.jpg", difficulty: "own", fullName: "Sophie Lambert", printedName: "Sophie Lambert", title: "Directrice commerciale", company: "Atelier Verdane SAS", email: "sophie.lambert@verdane.fr",
    phones: [{ label: "Tél.", printed: "01 99 00 42 17", e164: "+33199004217" }, { label: "Port.", printed: "06 71 22 48 90", e164: "+33671224890" }], fax: null,
    website: "verdane.fr", printedWebsite: "www.verdane.fr", address: ["8 rue des Tanneurs", "75003 Paris"],
    font: "DejaVu Sans", layout: "dark", surface: [38, 38, 44], angle: -88, tilt: 0.08 },
  { file: "own-11.jpg", difficulty: "own", fullName: "Marcus Oyelaran", printedName: "Marcus Oyelaran", title: "Product Manager", company: "Tidewell Systems Inc.", email: "marcus@tidewell.io",
    phones: [{ label: "M", printed: "(206) 555-0148", e164: "+12065550148" }], fax: null,
    website: "tidewell.io", printedWebsite: "tidewell.io", address: ["1201 Pine Street", "Seattle, WA 98101"],
    font: "DejaVu Serif", layout: "centered", surface: [150, 110, 75], angle: 176, tilt: 0.08 },
  { file: "own-12.jpg", difficulty: "own", fullName: "Annika Reuter", printedName: "Annika Reuter", title: "Leiterin Einkauf", company: "Feldmark Logistik GmbH", email: "a.reuter@feldmark-logistik.de",
    phones: [{ label: "Telefon", printed: "040 3344 5521", e164: "+494033445521" }, { label: "Mobil", printed: "0160 9876543", e164: "+491609876543" }], fax: { printed: "040 3344 5529", e164: "+494033445529" },
    website: "feldmark-logistik.de", printedWebsite: "www.feldmark-logistik.de", address: ["Am Sandtorkai 37", "20457 Hamburg"],
    font: "Liberation Serif", layout: "right-block", surface: [246, 244, 238], angle: 21, tilt: 0.1 },
  { file: "own-13.jpg", difficulty: "own", fullName: "Lim Jia Hui", printedName: "LIM JIA HUI", title: "Finance Director", company: "Orchid Harbour Pte. Ltd.", email: "jiahui.lim@orchidharbour.sg",
    phones: [{ label: "Office", printed: "+65 6823 4410", e164: "+6568234410" }, { label: "Mobile", printed: "+65 9734 2216", e164: "+6597342216" }], fax: null,
    website: "orchidharbour.sg", printedWebsite: "orchidharbour.sg", address: ["80 Robinson Road, #14-02", "Singapore 068898"],
    font: "DejaVu Sans", layout: "dark", surface: [28, 30, 36], angle: 27, tilt: 0.12 },
];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function cardSvg(s: Spec): string {
  const W = 1050, H = 600;
  const dark = s.layout === "dark";
  const fg = dark ? "#f2f2f2" : "#1d1d1f", sub = dark ? "#c9c9c9" : "#555", bg = dark ? "#1f2a36" : "#fbfaf7";
  const contact = [
    ...s.phones.map((p) => `${p.label} ${p.printed}`),
    ...(s.fax ? [`Fax ${s.fax.printed}`] : []),
    s.email,
    ...(s.printedWebsite ? [s.printedWebsite] : []),
    ...(s.address ?? []),
  ];
  const anchor = s.layout === "centered" ? "middle" : s.layout === "right-block" ? "end" : "start";
  const x = s.layout === "centered" ? W / 2 : s.layout === "right-block" ? W - 60 : 60;
  const t = (y: number, size: number, text: string, color: string, weight = "normal") =>
    `<text x="${x}" y="${y}" font-family="${s.font}" font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="${anchor}">${esc(text)}</text>`;
  const lines = [t(95, 50, s.printedName, fg, "bold"), t(145, 28, s.title, sub), t(200, 32, s.company, fg)];
  const lh = Math.min(40, 330 / contact.length);
  contact.forEach((c, i) => lines.push(t(265 + i * lh, Math.round(lh * 0.72), c, fg)));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" rx="18" fill="${bg}"/>${lines.join("")}</svg>`;
}

/** A textured surface: base colour + large soft blotches + fine noise. */
async function surface(w: number, h: number, rgb: [number, number, number], seed: number): Promise<Buffer> {
  const buf = Buffer.alloc(w * h * 3);
  let r = seed * 9301 + 49297;
  const rnd = () => ((r = (r * 9301 + 49297) % 233280) / 233280);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const grain = Math.sin(y / 7 + Math.sin(x / 90) * 3) * 10 + (rnd() - 0.5) * 24;
    const light = 0.75 + 0.35 * (x / w) * (1 - y / h);
    for (let c = 0; c < 3; c++) buf[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, rgb[c] * light + grain));
  }
  return sharp(buf, { raw: { width: w, height: h, channels: 3 } }).blur(1.2).raw().toBuffer();
}

async function main() {
  const outDir = path.resolve(__dirname, "../bench/ocr-cards");
  fs.mkdirSync(outDir, { recursive: true });
  const cv = await loadOpenCv();
  const truth = [];
  for (const [i, s] of SPECS.entries()) {
    const card = await sharp(Buffer.from(cardSvg(s))).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const W = 1700, H = 1250;
    const bg = await surface(W, H, s.surface, i + 1);
    // Card corners in the photo: rotate around the centre, then squeeze the far edge (perspective).
    const cw = 1050 * 1.05, ch = 600 * 1.05, a = (s.angle * Math.PI) / 180;
    const corners = [[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2], [-cw / 2, ch / 2]].map(([x, y], k) => {
      const squeeze = k < 2 ? 1 - s.tilt : 1; // top edge further away
      const px = x * squeeze, py = y * (1 - s.tilt / 2);
      return [W / 2 + px * Math.cos(a) - py * Math.sin(a), H / 2 + px * Math.sin(a) + py * Math.cos(a)];
    });
    const src = cv.matFromArray(card.info.height, card.info.width, cv.CV_8UC4, card.data);
    const from = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, 1050, 0, 1050, 600, 0, 600]);
    const to = cv.matFromArray(4, 1, cv.CV_32FC2, corners.flat());
    const m = cv.getPerspectiveTransform(from, to);
    const dst = new cv.Mat();
    cv.warpPerspective(src, dst, m, new cv.Size(W, H), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar(0, 0, 0, 0));
    const warped = Buffer.from(dst.data as Uint8Array);
    [src, from, to, m, dst].forEach((x) => x.delete());
    const photo = await sharp(bg, { raw: { width: W, height: H, channels: 3 } })
      .composite([{ input: warped, raw: { width: W, height: H, channels: 4 } }])
      .blur(0.9)
      .modulate({ brightness: 0.92 + 0.04 * (i % 3) })
      .jpeg({ quality: 72 + (i % 3) * 6 })
      .toBuffer();
    // Existing photos are kept byte for byte (tests depend on own-01..03); delete a file to regenerate it.
    if (!fs.existsSync(path.join(outDir, s.file))) fs.writeFileSync(path.join(outDir, s.file), photo);
    truth.push({
      file: s.file, fullName: s.fullName, title: s.title, company: s.company, email: s.email,
      phones: s.phones.map((p) => p.e164), fax: s.fax?.e164 ?? null, website: s.website,
      address: s.address ? s.address.join(", ") : null, titleAlt: [], companyAlt: [], difficulty: "own",
      design: `${s.layout}/${s.font}`, upperCased: s.printedName === s.printedName.toUpperCase() ? ["fullName"] : [],
    });
    process.stderr.write(`${s.file} ${Math.round(photo.length / 1024)} KB\n`);
  }
  fs.writeFileSync(path.join(outDir, "truth.json"), JSON.stringify(truth, null, 2) + "\n");
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + "\n");
  process.exit(1);
});
