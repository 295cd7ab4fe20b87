import { describe, expect, it } from "vitest";
import { nativeMemory } from "./native-memory";

describe("nativeMemory (smaps breakdown for bench:soak)", () => {
  it.runIf(process.platform === "linux")("splits this process's resident memory into parts that add up to at most its RSS", async () => {
    // A WebAssembly memory with touched pages must show up as such.
    const mem = new WebAssembly.Memory({ initial: 256 }); // 16 MB
    new Uint8Array(mem.buffer).fill(1);
    const m = nativeMemory();
    expect(m).not.toBeNull();
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    const sum = m!.mallocMb + m!.wasmMb + m!.otherAnonMb + m!.fileMb;
    expect(m!.mallocMb).toBeGreaterThan(0);
    expect(m!.threadArenasMb).toBeLessThanOrEqual(m!.mallocMb);
    expect(m!.wasmMb).toBeGreaterThanOrEqual(15);
    expect(sum).toBeLessThanOrEqual(rssMb * 1.05 + 5);
    expect(sum).toBeGreaterThan(rssMb * 0.5);
    expect(mem.buffer.byteLength).toBe(256 * 65536);
  });
});
