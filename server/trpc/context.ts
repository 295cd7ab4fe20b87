// The tRPC context, built without HTTP: the route handler passes the session it read,
// tests pass a fake actor. Nothing here depends on Next.
import { randomUUID } from "node:crypto";
import { getDb, type Db } from "../db";
import { logger, type Logger } from "../logger";

export interface Actor {
  id: string;
  role: "ADMIN" | "REP";
  email?: string | null;
  name?: string | null;
}

export interface Context {
  db: Db;
  actor: Actor | null;
  requestId: string;
  ip: string;
  log: Logger;
}

export function createContext(opts: { actor?: Actor | null; db?: Db; requestId?: string; ip?: string } = {}): Context {
  const requestId = opts.requestId ?? randomUUID();
  return {
    db: opts.db ?? getDb(),
    actor: opts.actor ?? null,
    requestId,
    ip: opts.ip ?? "unknown",
    log: logger.child({ requestId }),
  };
}
