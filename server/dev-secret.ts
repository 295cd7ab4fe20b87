// Outside production, sessions are signed with a random secret kept in .data/dev-secret,
// so a fresh clone works without configuration and restarts keep people signed in.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function readDevSecret(dir = path.resolve(process.cwd(), ".data")): string {
  const file = path.join(dir, "dev-secret");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not created yet
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // `wx` fails if another process won the race; then read theirs.
  try {
    writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
    return secret;
  } catch {
    return readFileSync(file, "utf8").trim();
  }
}
