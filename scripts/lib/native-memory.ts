// Where a process's resident memory sits, from /proc/self/smaps (Linux only): glibc malloc heaps (the main
// arena's brk heap plus the 64 MB-aligned heaps of the per-thread arenas), WebAssembly memories (V8 reserves
// ≥ 4 GB of address space per wasm32 memory, so they are the only anonymous regions that large), and the rest.
// Used by bench:soak to tell an allocator problem from a WASM or JavaScript one.
import fs from "node:fs";

export interface NativeMemory {
  /** glibc malloc: main arena (brk heap) + per-thread arena heaps, MB resident */
  mallocMb: number;
  /** of which the per-thread arenas */
  threadArenasMb: number;
  /** number of per-thread arena heaps (64 MB each at most) */
  threadArenaHeaps: number;
  /** WebAssembly memories (tesseract.js workers, OpenCV, zxing), MB resident */
  wasmMb: number;
  /** other anonymous memory: V8 heaps, malloc's own mmapped chunks, stacks */
  otherAnonMb: number;
  /** mapped files: code and data of node, sharp/libvips and other shared libraries */
  fileMb: number;
}

const ARENA_HEAP = 64n << 20n; // glibc HEAP_MAX_SIZE on 64-bit
const WASM_RESERVATION = 4n << 30n;

interface Mapping { start: bigint; end: bigint; perms: string; path: string; rssKb: number }

function readMappings(): Mapping[] {
  const maps: Mapping[] = [];
  let cur: Mapping | null = null;
  for (const line of fs.readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) {
      cur = { start: BigInt("0x" + m[1]), end: BigInt("0x" + m[2]), perms: m[3], path: m[4], rssKb: 0 };
      maps.push(cur);
      continue;
    }
    const r = /^Rss:\s+(\d+) kB/.exec(line);
    if (r && cur) cur.rssKb = Number(r[1]);
  }
  return maps;
}

/** null where /proc/self/smaps is not available (not Linux). */
export function nativeMemory(): NativeMemory | null {
  let maps: Mapping[];
  try {
    maps = readMappings();
  } catch {
    return null;
  }
  // A thread arena heap is mapped 64 MB-aligned: a read-write part followed by the not-yet-used PROT_NONE rest.
  const arenaHeapAt = (i: number): number => {
    const m = maps[i];
    if (m.path || !m.perms.startsWith("rw") || m.start % ARENA_HEAP !== 0n) return 0;
    if (m.end - m.start === ARENA_HEAP) return 1;
    const n = maps[i + 1];
    return n && !n.path && n.start === m.end && n.perms.startsWith("---") && n.end - m.start === ARENA_HEAP ? 2 : 0;
  };
  let brk = 0, arenas = 0, heaps = 0, wasm = 0, other = 0, file = 0;
  for (let i = 0; i < maps.length; ) {
    const m = maps[i];
    if (m.path === "[heap]") { brk += m.rssKb; i++; continue; }
    if (m.path && !m.path.startsWith("[anon")) { if (m.path.startsWith("/")) file += m.rssKb; else other += m.rssKb; i++; continue; }
    const arena = arenaHeapAt(i);
    if (arena) { arenas += m.rssKb; heaps++; i += arena; continue; }
    // Adjacent anonymous mappings form one region (a wasm memory is its accessible part plus its guard pages).
    let j = i, end = m.end, rss = m.rssKb;
    while (j + 1 < maps.length && (!maps[j + 1].path || maps[j + 1].path.startsWith("[anon")) && maps[j + 1].start === end && !arenaHeapAt(j + 1)) {
      j++;
      end = maps[j].end;
      rss += maps[j].rssKb;
    }
    if (end - m.start >= WASM_RESERVATION) wasm += rss;
    else other += rss;
    i = j + 1;
  }
  const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
  return { mallocMb: mb(brk + arenas), threadArenasMb: mb(arenas), threadArenaHeaps: heaps, wasmMb: mb(wasm), otherAnonMb: mb(other), fileMb: mb(file) };
}
