// The launchers' child helpers: a child killed by a signal must count as exited, or
// `npm run dev` hangs in "stopping…" after its worker is SIGKILLed (ops review F5).
import { describe, expect, it } from "vitest";
import { hasExited, run, waitExit } from "./processes";

const idle = () => run("test", process.execPath, ["-e", "setInterval(() => {}, 1000)"], { color: 0 });

describe("waitExit", () => {
  it("resolves for a child already killed by SIGKILL (exit event long gone)", async () => {
    const child = idle();
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(child.pid!, "SIGKILL");
    await exited;
    expect(child.exitCode).toBeNull();
    expect(hasExited(child)).toBe(true);
    await expect(waitExit(child)).resolves.toBe(1);
  });

  it("resolves with the code of a child that exits later", async () => {
    const child = run("test", process.execPath, ["-e", "setTimeout(() => process.exit(3), 200)"], { color: 0 });
    expect(hasExited(child)).toBe(false);
    await expect(waitExit(child)).resolves.toBe(3);
  });
});
