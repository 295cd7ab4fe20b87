// Find the card in a photo: a convex quadrilateral that stands out from the surface it lies on.
// Runs on a small copy of the image (long side DETECT_SIDE) so it costs a few tens of ms on the calling thread.
import type { CV } from "./opencv";

export type Point = { x: number; y: number };
/** Corners in order: top-left, top-right, bottom-right, bottom-left (in the coordinates of the image passed in). */
export type Quad = [Point, Point, Point, Point];

export const DETECT_SIDE = 640;
/** Below this score a quad is more likely a band or logo than the card outline (measured on the fixtures). */
const MIN_SCORE = 0.12;

export interface CardCandidate {
  quad: Quad;
  score: number;
  method: "edges" | "segment";
  /** share of the image covered by the quad */
  areaShare: number;
}

function polygonArea(q: Point[]): number {
  let a = 0;
  for (let i = 0; i < q.length; i++) {
    const p = q[i], n = q[(i + 1) % q.length];
    a += p.x * n.y - n.x * p.y;
  }
  return Math.abs(a) / 2;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** Order 4 points TL, TR, BR, BL, choosing the rotation (< 45° away) that keeps the card as upright as the photo shows it. */
export function orderQuad(pts: Point[]): Quad {
  const cx = pts.reduce((a, p) => a + p.x, 0) / 4;
  const cy = pts.reduce((a, p) => a + p.y, 0) / 4;
  // Sort clockwise (image coordinates: y down) by angle around the centre.
  const sorted = [...pts].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  // Top-left = the corner whose direction from the centre is closest to up-left (-135°).
  let best = 0, bestD = Infinity;
  sorted.forEach((p, i) => {
    const ang = Math.atan2(p.y - cy, p.x - cx);
    let d = Math.abs(ang - -0.75 * Math.PI);
    if (d > Math.PI) d = 2 * Math.PI - d;
    if (d < bestD) { bestD = d; best = i; }
  });
  const q = [0, 1, 2, 3].map((k) => sorted[(best + k) % 4]);
  return q as Quad;
}

/** Reduce a contour to 4 corners: approximate its convex hull with growing tolerance. */
function quadFromContour(cv: CV, contour: CV): Point[] | null {
  const hull = new cv.Mat();
  const approx = new cv.Mat();
  try {
    cv.convexHull(contour, hull, false, true);
    const peri = cv.arcLength(hull, true);
    for (const eps of [0.01, 0.02, 0.03, 0.045, 0.06, 0.08, 0.1]) {
      cv.approxPolyDP(hull, approx, eps * peri, true);
      if (approx.rows === 4) {
        const pts: Point[] = [];
        for (let i = 0; i < 4; i++) pts.push({ x: approx.data32S[i * 2], y: approx.data32S[i * 2 + 1] });
        return pts;
      }
      if (approx.rows < 4) break;
    }
    // Rounded or damaged corners: fall back to the rotated bounding rectangle.
    const rect = cv.minAreaRect(hull);
    const pts = cv.RotatedRect.points(rect) as Point[];
    return pts.map((p) => ({ x: p.x, y: p.y }));
  } finally {
    hull.delete();
    approx.delete();
  }
}

function scoreQuad(cv: CV, contour: CV, q: Point[], imgArea: number): { score: number; areaShare: number } {
  const qa = polygonArea(q);
  const areaShare = qa / imgArea;
  if (areaShare < 0.06 || areaShare > 0.985) return { score: 0, areaShare };
  const ca = cv.contourArea(contour);
  const fill = Math.min(1, ca / Math.max(1, qa)); // how well the quad describes the blob
  const o = orderQuad(q);
  const w = (dist(o[0], o[1]) + dist(o[3], o[2])) / 2;
  const h = (dist(o[0], o[3]) + dist(o[1], o[2])) / 2;
  const aspect = Math.max(w, h) / Math.max(1, Math.min(w, h));
  // Business cards are 1.4–1.85 : 1 (ISO 85×55, US 3.5×2, JP 91×55); perspective stretches that.
  const aspectOk = aspect >= 1.2 && aspect <= 2.3 ? 1 : aspect <= 3 ? 0.5 : 0.1;
  // Opposite sides of a card in perspective stay roughly similar in length.
  const sideRatio = Math.min(dist(o[0], o[1]), dist(o[3], o[2])) / Math.max(dist(o[0], o[1]), dist(o[3], o[2]), 1);
  const score = fill * fill * aspectOk * (0.5 + 0.5 * sideRatio) * Math.sqrt(areaShare);
  return { score, areaShare };
}

function candidatesFromMask(cv: CV, mask: CV, method: CardCandidate["method"], imgArea: number, out: CardCandidate[]): void {
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  try {
    cv.findContours(mask, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);
    for (let i = 0; i < contours.size(); i++) {
      const c = contours.get(i);
      try {
        if (cv.contourArea(c) < imgArea * 0.05) continue;
        const q = quadFromContour(cv, c);
        if (!q) continue;
        const { score, areaShare } = scoreQuad(cv, c, q, imgArea);
        if (score > 0) out.push({ quad: orderQuad(q), score, method, areaShare });
      } finally {
        c.delete();
      }
    }
  } finally {
    contours.delete();
    hierarchy.delete();
  }
}

/**
 * Find the card in an RGBA image that is already small (long side ≈ DETECT_SIDE).
 * Two detectors: Canny edges (good on plain or dark surfaces) and colour distance from the surface
 * sampled at the image border (good on wood/fabric where texture makes many edges). Best-scoring quad wins.
 */
export function findCard(cv: CV, rgba: Buffer, width: number, height: number): CardCandidate | null {
  const found = findCardCandidates(cv, rgba, width, height);
  // Weak candidates are usually a coloured band or logo inside a flat scan; OCR of the whole frame is safer.
  const best = found[0];
  return best && best.score >= MIN_SCORE ? best : null;
}

/** Every card-like quad, best score first (unfiltered by MIN_SCORE). */
export function findCardCandidates(cv: CV, rgba: Buffer, width: number, height: number): CardCandidate[] {
  const src = cv.matFromArray(height, width, cv.CV_8UC4, rgba);
  const mats: CV[] = [src];
  const mk = () => { const m = new cv.Mat(); mats.push(m); return m; };
  const imgArea = width * height;
  const found: CardCandidate[] = [];
  try {
    const rgb = mk(); cv.cvtColor(src, rgb, cv.COLOR_RGBA2RGB);
    const gray = mk(); cv.cvtColor(rgb, gray, cv.COLOR_RGB2GRAY);
    const blur = mk(); cv.GaussianBlur(gray, blur, new cv.Size(5, 5), 0);

    // 1) Edges.
    const edges = mk(); cv.Canny(blur, edges, 40, 120);
    const k3 = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(3, 3)); mats.push(k3);
    const dil = mk(); cv.dilate(edges, dil, k3, new cv.Point(-1, -1), 2);
    candidatesFromMask(cv, dil, "edges", imgArea, found);

    // 2) Distance from the surface colour (median of a border strip), in Lab, thresholded with Otsu.
    const lab = mk(); cv.cvtColor(rgb, lab, cv.COLOR_RGB2Lab);
    const labBlur = mk(); cv.GaussianBlur(lab, labBlur, new cv.Size(7, 7), 0);
    const d = labBlur.data as Uint8Array;
    const border = Math.max(4, Math.round(Math.min(width, height) * 0.04));
    const samples: [number[], number[], number[]] = [[], [], []];
    for (let y = 0; y < height; y += 2) {
      for (let x = 0; x < width; x += 2) {
        if (x >= border && x < width - border && y >= border && y < height - border) continue;
        const i = (y * width + x) * 3;
        samples[0].push(d[i]); samples[1].push(d[i + 1]); samples[2].push(d[i + 2]);
      }
    }
    const med = samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]);
    const distImg = mk();
    distImg.create(height, width, cv.CV_8UC1);
    const dd = distImg.data as Uint8Array;
    for (let p = 0, i = 0; p < width * height; p++, i += 3) {
      const dl = d[i] - med[0], da = (d[i + 1] - med[1]) * 1.5, db = (d[i + 2] - med[2]) * 1.5;
      dd[p] = Math.min(255, Math.sqrt(dl * dl + da * da + db * db) * 2);
    }
    const bin = mk(); cv.threshold(distImg, bin, 0, 255, cv.THRESH_BINARY + cv.THRESH_OTSU);
    const k9 = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(9, 9)); mats.push(k9);
    const closed = mk(); cv.morphologyEx(bin, closed, cv.MORPH_CLOSE, k9);
    const opened = mk(); cv.morphologyEx(closed, opened, cv.MORPH_OPEN, k9);
    candidatesFromMask(cv, opened, "segment", imgArea, found);
  } finally {
    for (const m of mats) m.delete();
  }
  found.sort((a, b) => b.score - a.score);
  return found;
}

export { MIN_SCORE as MIN_CARD_SCORE };

export interface TextBox { cx: number; cy: number; w: number; h: number; angle: number; area: number; pts: Point[] }

export interface TextCluster {
  /** the text lines' minimum-area rectangle, grown by a margin, ordered TL, TR, BR, BL (upright reading order) */
  quad: Quad;
  /** the tight rectangle around the text (no margin), same order */
  tight: Quad;
  boxes: TextBox[];
  /** median text line height, px */
  lineHeight: number;
}

/**
 * Find text lines without knowing where the card is: morphological gradient (both polarities), Otsu, joined
 * horizontally into line blobs, kept when line-shaped. The largest group of nearby lines is the card's text.
 * `gray` is a single-channel image (long side ≈ 1000 px works for cards down to a fifth of the photo).
 */
export function findTextCluster(cv: CV, gray: Buffer, width: number, height: number): TextCluster | null {
  const g = cv.matFromArray(height, width, cv.CV_8UC1, gray);
  const mats: CV[] = [g];
  const mk = () => { const m = new cv.Mat(); mats.push(m); return m; };
  const boxes: TextBox[] = [];
  try {
    const k3 = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(3, 3)); mats.push(k3);
    const grad = mk(); cv.morphologyEx(g, grad, cv.MORPH_GRADIENT, k3);
    const bin = mk(); cv.threshold(grad, bin, 0, 255, cv.THRESH_BINARY + cv.THRESH_OTSU);
    const kh = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(9, 1)); mats.push(kh);
    const closed = mk(); cv.morphologyEx(bin, closed, cv.MORPH_CLOSE, kh);
    const contours = new cv.MatVector(); mats.push(contours);
    const hier = mk();
    // RETR_CCOMP, outer contours only: text inside a card whose border is one closed contour must still be seen.
    cv.findContours(closed, contours, hier, cv.RETR_CCOMP, cv.CHAIN_APPROX_SIMPLE);
    const hd = hier.data32S as Int32Array;
    for (let i = 0; i < contours.size(); i++) {
      if (hd[i * 4 + 3] >= 0) continue; // a hole: the inside of a letter or of the card border
      const c = contours.get(i);
      try {
        const r = cv.minAreaRect(c);
        const bw = Math.max(r.size.width, r.size.height), bh = Math.min(r.size.width, r.size.height);
        const area = cv.contourArea(c);
        // Line-shaped, solid, not a long straight edge (card border, table edge).
        if (bh < 3 || bh > 40 || bw < 2.5 * bh || bw > Math.max(width, height) * 0.6 || area < 0.4 * bw * bh) continue;
        if (bh < 5 && bw > 40 * bh) continue;
        const pts = (cv.RotatedRect.points(r) as Point[]).map((p) => ({ x: p.x, y: p.y }));
        // Angle of the long side, folded into (-90°, 90°].
        const a = r.size.width >= r.size.height ? r.angle : r.angle + 90;
        const angle = ((((a + 90) % 180) + 180) % 180) - 90;
        boxes.push({ cx: r.center.x, cy: r.center.y, w: bw, h: bh, angle, area: bw * bh, pts });
      } finally {
        c.delete();
      }
    }
  } finally {
    for (const m of mats) m.delete();
  }
  if (boxes.length < 3) return null;

  // Group lines that are close to each other (gap < a few line heights); the heaviest group is the card's text.
  const hMed = [...boxes.map((b) => b.h)].sort((a, b) => a - b)[boxes.length >> 1];
  const near = (a: TextBox, b: TextBox) => {
    const dx = Math.max(0, Math.abs(a.cx - b.cx) - (a.w + b.w) / 2);
    const dy = Math.max(0, Math.abs(a.cy - b.cy) - (a.h + b.h) / 2);
    return Math.hypot(dx, dy) < Math.max(8 * hMed, 0.07 * Math.max(width, height));
  };
  const group = new Array<number>(boxes.length).fill(-1);
  let groups = 0;
  for (let i = 0; i < boxes.length; i++) {
    if (group[i] >= 0) continue;
    const stack = [i];
    group[i] = groups;
    while (stack.length) {
      const k = stack.pop()!;
      for (let j = 0; j < boxes.length; j++) if (group[j] < 0 && near(boxes[k], boxes[j])) { group[j] = groups; stack.push(j); }
    }
    groups++;
  }
  const weight = new Array<number>(groups).fill(0);
  const count = new Array<number>(groups).fill(0);
  boxes.forEach((b, i) => { weight[group[i]] += b.area; count[group[i]]++; });
  // A lone blob (logo, bar) is not text: only groups of 3+ lines count.
  let bestGroup = -1;
  for (let k = 0; k < groups; k++) if (count[k] >= 3 && (bestGroup < 0 || weight[k] > weight[bestGroup])) bestGroup = k;
  if (bestGroup < 0) return null;
  let kept = boxes.filter((_, i) => group[i] === bestGroup);
  if (kept.length < 3) return null;

  // Dominant text angle: area-weighted median of the line angles.
  const medianAngle = (bs: TextBox[]) => {
    const byAngle = [...bs].sort((a, b) => a.angle - b.angle);
    const total = bs.reduce((a, b) => a + b.area, 0);
    let acc = 0;
    for (const b of byAngle) { acc += b.area; if (acc >= total / 2) return b.angle; }
    return 0;
  };
  let angle = medianAngle(kept);
  // Blocks of a card are separated by wide gaps (name at the top, contacts at the bottom): add the other groups
  // whose lines run at the same angle and that lie within half the text block's size from it.
  for (let round = 0; round < 3; round++) {
    const x0 = Math.min(...kept.map((b) => b.cx - b.w / 2)), x1 = Math.max(...kept.map((b) => b.cx + b.w / 2));
    const y0 = Math.min(...kept.map((b) => b.cy - b.w / 2)), y1 = Math.max(...kept.map((b) => b.cy + b.w / 2));
    const reach = 0.5 * Math.max(x1 - x0, y1 - y0);
    let added = false;
    for (let k = 0; k < groups; k++) {
      if (k === bestGroup) continue;
      const members = boxes.filter((_, i) => group[i] === k);
      if (!members.length || kept.includes(members[0])) continue;
      const close = members.every((b) => b.cx > x0 - reach && b.cx < x1 + reach && b.cy > y0 - reach && b.cy < y1 + reach);
      const aligned = Math.abs(medianAngle(members) - angle) < 7;
      if (close && aligned) { kept = kept.concat(members); added = true; }
    }
    if (!added) break;
    angle = medianAngle(kept);
  }
  const lineHeight = [...kept.map((b) => b.h)].sort((a, b) => a - b)[kept.length >> 1];

  // Rectangle aligned with the text angle around all kept line corners.
  const rad = (angle * Math.PI) / 180;
  const ux = { x: Math.cos(rad), y: Math.sin(rad) };
  const uy = { x: -Math.sin(rad), y: Math.cos(rad) };
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  for (const b of kept) for (const p of b.pts) {
    const u = p.x * ux.x + p.y * ux.y, v = p.x * uy.x + p.y * uy.y;
    minU = Math.min(minU, u); maxU = Math.max(maxU, u); minV = Math.min(minV, v); maxV = Math.max(maxV, v);
  }
  const at = (u: number, v: number): Point => ({ x: u * ux.x + v * uy.x, y: u * ux.y + v * uy.y });
  const rectOf = (m: number): Quad => [at(minU - m, minV - m), at(maxU + m, minV - m), at(maxU + m, maxV + m), at(minU - m, maxV + m)];
  const margin = 3 * lineHeight + 0.05 * Math.max(maxU - minU, maxV - minV);
  return { quad: rectOf(margin), tight: rectOf(0), boxes: kept, lineHeight };
}

/** Is point p inside the convex quad q? */
export function insideQuad(q: Point[], p: Point): boolean {
  let sign = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i], b = q[(i + 1) % q.length];
    const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    if (cross !== 0) {
      const s = Math.sign(cross);
      if (sign && s !== sign) return false;
      sign = s;
    }
  }
  return true;
}

export function quadArea(q: Point[]): number {
  return polygonArea(q);
}
