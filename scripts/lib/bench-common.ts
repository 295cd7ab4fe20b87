// Small helpers shared by the load benchmarks (bench-web, bench-polling, bench-soak):
// machine description, load average, percentiles, /proc readings and an SVG line plot.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memGb: number;
  node: string;
  kernel: string;
}

export function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: (os.cpus()[0]?.model ?? "unknown").trim(),
    memGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
}

export const machineLine = (m: Machine) => `${m.cpus} × ${m.cpuModel}, ${m.memGb} GB RAM, Node ${m.node}, ${m.kernel}`;

/** 1, 5 and 15-minute load averages, rounded. */
export const loadAvg = () => os.loadavg().map((x) => round(x, 2)) as [number, number, number];

/**
 * The busiest other processes right now (command name + %CPU since they started), to say in the
 * report what shared the machine. Only the executable and first script argument, never the full line.
 */
export function busyProcesses(excludePids: number[] = [], limit = 6): string[] {
  try {
    const out = execFileSync("ps", ["-eo", "pid,pcpu,args", "--sort=-pcpu", "--no-headers"], { encoding: "utf8" });
    return out
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [pid, cpu, ...rest] = l.split(/\s+/);
        const script = rest.slice(1).find((a) => !a.startsWith("-")) ?? "";
        const name = rest[0]?.split("/").pop() ?? "?";
        return { pid: Number(pid), cpu: Number(cpu), label: `${name}${script ? " " + script.replace(/^.*\/(node_modules\/)/, "$1").slice(-60) : ""}` };
      })
      .filter((p) => p.cpu >= 5 && !excludePids.includes(p.pid) && p.pid !== process.pid)
      .slice(0, limit)
      .map((p) => `${p.label} (${p.cpu}% CPU)`);
  } catch {
    return [];
  }
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process, in seconds (from /proc/<pid>/stat). null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Resident set size of one process in MB (VmRSS from /proc/<pid>/status). */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** All descendants of a process (children, grandchildren, ...), from /proc/<pid>/task/<tid>/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = execFileSync("ls", [`/proc/${p}/task`], { encoding: "utf8" }).split("\n").filter(Boolean);
    } catch {
      return;
    }
    for (const t of tasks) {
      let kids: string[] = [];
      try {
        kids = readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      } catch {
        /* gone */
      }
      for (const k of kids) {
        out.push(Number(k));
        walk(Number(k));
      }
    }
  };
  walk(pid);
  return out;
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Least-squares slope and intercept of y over x. */
export function linearFit(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  if (n < 2) return { slope: NaN, intercept: NaN };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  const slope = den ? num / den : NaN;
  return { slope, intercept: my - slope * mx };
}

function niceStep(range: number, ticks: number): number {
  const raw = range / Math.max(1, ticks);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

/** A self-contained SVG line chart: polylines, axes with ticks, axis labels, title and legend. */
export function lineChartSvg(opts: { title: string; xLabel: string; yLabel: string; series: Series[]; width?: number; height?: number; yMin?: number; markers?: { x: number; label: string }[] }): string {
  const W = opts.width ?? 860;
  const H = opts.height ?? 440;
  const m = { l: 70, r: 24, t: 44, b: 56 };
  const all = opts.series.flatMap((s) => s.points);
  const xMax0 = Math.max(1, ...all.map((p) => p[0]));
  const yMaxData = Math.max(1, ...all.map((p) => p[1]));
  const yMinData = Math.min(...all.map((p) => p[1]));
  const xStep = niceStep(xMax0, 10);
  const xMax = Math.ceil(xMax0 / xStep) * xStep;
  const yLow = opts.yMin ?? 0;
  const yStep = niceStep(yMaxData - Math.min(yLow, yMinData), 8);
  const yMin = Math.floor(Math.min(yLow, yMinData) / yStep) * yStep;
  const yMax = Math.ceil((yMaxData * 1.05) / yStep) * yStep;
  const px = (x: number) => m.l + (x / xMax) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - yMin) / (yMax - yMin)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(opts.title)}</text>`);
  for (let y = yMin; y <= yMax + 1e-9; y += yStep) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 8}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${round(y, 1)}</text>`);
  }
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    parts.push(`<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${H - m.b}" y2="${H - m.b + 5}" stroke="#333"/>`);
    parts.push(`<text x="${px(x).toFixed(1)}" y="${H - m.b + 19}" text-anchor="middle">${round(x, 1)}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 14}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`);
  (opts.markers ?? []).forEach((mk, i) => {
    if (mk.x > xMax) return;
    parts.push(`<line x1="${px(mk.x).toFixed(1)}" x2="${px(mk.x).toFixed(1)}" y1="${m.t}" y2="${H - m.b}" stroke="#999" stroke-dasharray="4 4"/>`);
    parts.push(`<text x="${(px(mk.x) + 4).toFixed(1)}" y="${m.t + 12 + i * 14}" fill="#666">${esc(mk.label)}</text>`);
  });
  opts.series.forEach((s, i) => {
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="6 4"' : ""} points="${pts}"/>`);
    // Legend in the lower right, above the x axis.
    const ly = H - m.b - 44 + i * 16;
    if (i === 0) parts.push(`<rect x="${W - m.r - 206}" y="${H - m.b - 56}" width="200" height="${opts.series.length * 16 + 8}" fill="#fff" fill-opacity="0.85" stroke="#ddd"/>`);
    parts.push(`<line x1="${W - m.r - 200}" x2="${W - m.r - 176}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    parts.push(`<text x="${W - m.r - 170}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  parts.push(`</svg>`);
  return parts.join("\n") + "\n";
}

/**
 * Other benchmarks and test runs found running right now (by their command lines), so a report
 * can say what shared the machine. Own process and its children are left out.
 */
export function concurrentWork(excludePids: number[] = []): string[] {
  const kinds: [RegExp, string][] = [
    [/scripts\/bench-soak\.ts/, "bench:soak (OCR soak)"],
    [/scripts\/bench-web\.ts/, "bench:web"],
    [/scripts\/bench-polling\.ts/, "bench:polling"],
    [/scripts\/bench-(ocr|contacts|campaign)\.ts/, "another benchmark (bench:ocr/contacts/campaign)"],
    [/vitest/, "vitest tests"],
    [/playwright|chromium/, "Playwright e2e tests"],
    [/next\/dist\/bin\/next build|next build/, "a next build"],
    [/scripts\/test\.ts/, "npm test"],
  ];
  try {
    const out = execFileSync("ps", ["-eo", "pid,ppid,args", "--no-headers"], { encoding: "utf8" });
    const found = new Set<string>();
    for (const line of out.split("\n")) {
      const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      const pid = Number(m[1]);
      const ppid = Number(m[2]);
      if (pid === process.pid || ppid === process.pid || excludePids.includes(pid) || excludePids.includes(ppid)) continue;
      for (const [re, label] of kinds) if (re.test(m[3])) found.add(label);
    }
    return [...found];
  } catch {
    return [];
  }
}
