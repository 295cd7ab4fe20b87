// Playwright drives Debian's Chromium (its own browser download cannot run offline).
// Missing Chromium is installed with apt when we are root on Debian; otherwise we stop
// with the exact command to run.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function ensureChromium(log: (m: string) => void = console.log): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const isDebian = existsSync("/etc/debian_version");
  if (isRoot && isDebian) {
    log("Chromium is missing: installing Debian's `chromium` package (apt-get install -y chromium)…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
    if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  }
  throw new Error(
    `Chromium was not found at ${CHROMIUM_PATH}.\n` +
      (isDebian ? "Install it with:  sudo apt-get install -y chromium\n" : "Install Chromium and set CHROMIUM_PATH to its binary.\n"),
  );
}
