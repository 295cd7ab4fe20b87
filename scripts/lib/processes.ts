// Child-process helpers for the launchers: prefixed output, and one Ctrl-C stops all.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export function run(name: string, cmd: string, args: string[], opts: SpawnOptions & { color?: number } = {}): ChildProcess {
  // detached: each child leads its own process group, so we can stop its whole tree
  // (next start/dev spawns next-server underneath).
  const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const tag = `\x1b[${opts.color ?? 36}m${name.padEnd(6)}\x1b[0m │ `;
  const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let buf = "";
    stream?.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) out.write(tag + l + "\n");
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  return child;
}

/** Whether the child has exited: with a code, or killed by a signal (exitCode stays null then). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function killTree(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  if (child.pid === undefined) return;
  // The group, even when its leader is gone: `next dev` leaves next-server behind otherwise.
  try {
    process.kill(-child.pid, signal);
  } catch {
    if (!hasExited(child)) child.kill(signal);
  }
}

export function waitExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    // A child killed by a signal has exitCode null but signalCode set, and its "exit" event has
    // already fired: waiting for it again would hang the launcher for good.
    if (hasExited(child)) return resolve(child.exitCode ?? 1);
    child.once("exit", (code, sig) => resolve(code ?? (sig ? 1 : 0)));
  });
}
