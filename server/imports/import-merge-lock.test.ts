// An import merging into a contact while a rep edits it. The chunk read the contact without a lock and wrote back whole
// lists (tags, otherPhones) and the fields it saw blank, so a tag or title the rep saved in between was lost. Now the
// chunk locks the contacts it may merge into (FOR UPDATE) and reads them once locked; the rep's edit waits for it.
// The real database; the proxy only decides when the rep's edit runs: right before the chunk writes its merge.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { previewImport } from "./preview-import";
import { runImport } from "./run-import";
import type { Db, Prisma } from "../db";
import type { Actor } from "../trpc/context";

type Tx = Prisma.TransactionClient;

/**
 * `db`, except that inside the chunk's transaction, before its first contact.update (the merge), `edit` is started
 * on another connection. The merge goes on once the edit has committed, or once it waits for a lock the chunk's
 * transaction holds (pg_blocking_pids): both states are read from the database, nothing is timed.
 */
function dbEditingBeforeMerge(edit: () => Promise<unknown>): { db: Db; edited: () => Promise<unknown> } {
  let started: Promise<unknown> | null = null;
  const base = db();
  const beforeMerge = async (tx: Tx) => {
    if (started) return;
    const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    let done = false;
    started = edit().finally(() => (done = true));
    started.catch(() => {});
    for (;;) {
      if (done) return;
      const [{ blocked }] = await base.$queryRaw<{ blocked: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids("pid"))) AS blocked`;
      if (blocked) return;
      await new Promise((r) => setImmediate(r));
    }
  };
  const wrapTx = (tx: Tx): Tx =>
    new Proxy(tx, {
      get(t, p, r) {
        const v = Reflect.get(t, p, r);
        if (p !== "contact") return typeof v === "function" ? v.bind(t) : v;
        return new Proxy(v as object, {
          get(ct, cp, cr) {
            const fn = Reflect.get(ct, cp, cr);
            if (cp !== "update") return typeof fn === "function" ? fn.bind(ct) : fn;
            return async (...args: unknown[]) => {
              await beforeMerge(t);
              return (fn as (...a: unknown[]) => Promise<unknown>).apply(ct, args);
            };
          },
        });
      },
    });
  const racing = new Proxy(base, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== "$transaction") return typeof v === "function" ? v.bind(target) : v;
      return (fn: (tx: Tx) => Promise<unknown>, opts?: unknown) => (v as Db["$transaction"]).call(target, ((tx: Tx) => fn(wrapTx(tx))) as never, opts as never);
    },
  });
  return { db: racing, edited: () => started ?? Promise.reject(new Error("the merge never ran")) };
}

async function importRacing(rep: Actor, csv: string, edit: () => Promise<unknown>) {
  const preview = previewImport({ text: csv });
  const row = await db().contactImport.create({ data: { userId: rep.id, format: preview.kind, onDuplicate: "merge", content: csv, mapping: preview.mapping as never } });
  const racing = dbEditingBeforeMerge(edit);
  await runImport(racing.db, row.id, { chunkSize: 10 });
  await racing.edited();
  return db().contactImport.findUniqueOrThrow({ where: { id: row.id } });
}

describe("an import merge racing a rep's edit of the same contact", () => {
  it("a tag the rep adds meanwhile is kept, with the row's tag", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann ${u}`, email: `ann-${u}@example.com`, tags: ["old"] });
    const imp = await importRacing(rep, `Name,Email,Tags\nAnn ${u},ann-${u}@example.com,expo\n`, () => callerFor(rep).contacts.bulkTag({ ids: [ann.id], tag: "called" }));
    expect(imp).toMatchObject({ status: "DONE", merged: 1 });
    const after = await db().contact.findUniqueOrThrow({ where: { id: ann.id } });
    expect([...after.tags].sort()).toEqual(["called", "expo", "old"]);
  });

  it("a title and a number the rep saves meanwhile are not overwritten by the row's", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann ${u}`, email: `ann-${u}@example.com` });
    const csv = `Name,Email,Title,Mobile\nAnn ${u},ann-${u}@example.com,Buyer,+1 212 555 0199\n`;
    const imp = await importRacing(rep, csv, () => callerFor(rep).contacts.update({ id: ann.id, title: "Head of Sales", phone: "+1 212 555 0100" }));
    expect(imp).toMatchObject({ status: "DONE", merged: 1 });
    const after = await db().contact.findUniqueOrThrow({ where: { id: ann.id } });
    // The rep's title and phone stand: before, the row's filled the fields the chunk had read blank over them.
    expect(after).toMatchObject({ title: "Head of Sales", phone: "+12125550100" });
  });
});
