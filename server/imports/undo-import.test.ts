// "Undo this import" (imports.undo): the contacts a finished import created are deleted, except those changed
// since; contacts it merged into stay as they are. Real database, through tRPC and the import runner.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { importText, type ImportTextOptions } from "../testing/imports";
import type { Actor } from "../trpc/context";
import { previewImport } from "./preview-import";
import { runImport } from "./run-import";

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : `THROWN:${(e as Error).message}`));

const importNow = async (actor: Actor, text: string, onDuplicate: ImportTextOptions["onDuplicate"] = "skip") =>
  (await importText(actor, text, { onDuplicate, fileName: "people.csv", chunkSize: 2 })).id;

describe("imports.undo", () => {
  it("deletes what the import created, keeps a contact edited right after it, and leaves the contact it merged into", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const existing = await callerFor(rep).contacts.create({ fullName: `Existing ${u}`, email: `existing-${u}@example.com` });
    const csv = ["Name,Email,Title", `Ann ${u},ann-${u}@example.com,CEO`, `Bo ${u},bo-${u}@example.com,CTO`, `Cy ${u},cy-${u}@example.com,CFO`, `Existing ${u},existing-${u}@example.com,Buyer`].join("\n");
    const id = await importNow(rep, csv, "merge");
    const report = await callerFor(rep).imports.get({ id });
    expect(report).toMatchObject({ created: 3, merged: 1 });
    const bo = await db().contact.findFirstOrThrow({ where: { email: `bo-${u}@example.com` } });
    // Edited the moment the import finished (no waiting: a time window would miss this edit).
    await callerFor(rep).contacts.update({ id: bo.id, title: "CTO & co-founder" });

    expect(await callerFor(rep).imports.undo({ id })).toEqual({ deleted: 2, keptChanged: 1, merged: 1 });
    const left = await db().contact.findMany({ where: { OR: [{ email: { contains: u } }] }, orderBy: { fullName: "asc" } });
    expect(left.map((c) => c.fullName)).toEqual([`Bo ${u}`, `Existing ${u}`]);
    // The merged contact keeps what the merge gave it: nothing to change back to.
    expect(left.find((c) => c.id === existing.id)?.title).toBe("Buyer");
    // Again: nothing more to delete.
    expect(await callerFor(rep).imports.undo({ id })).toEqual({ deleted: 0, keptChanged: 1, merged: 1 });
    // Recorded in the audit log (a destructive call reps may make), naming the file.
    const [row] = await db().auditEvent.findMany({ where: { action: "imports.undo", actorId: rep.id }, orderBy: { at: "asc" } });
    expect(row).toMatchObject({ targetId: id, targetLabel: "people.csv (3 created)" });
  });

  it("another rep's import is 404; an admin may undo it; a running import is 409; bad ids are 404 / 422", async () => {
    const rep = await makeUser("REP");
    const other = await makeUser("REP");
    const admin = await makeUser("ADMIN");
    const u = randomUUID().slice(0, 8);
    const id = await importNow(rep, ["Name,Email", `Dee ${u},dee-${u}@example.com`].join("\n"));
    expect(await codeOf(callerFor(other).imports.undo({ id }))).toBe("NOT_FOUND");
    expect(await db().contact.count({ where: { email: `dee-${u}@example.com` } })).toBe(1);
    expect(await callerFor(admin).imports.undo({ id })).toMatchObject({ deleted: 1 });

    const running = await db().contactImport.create({ data: { userId: rep.id, format: "csv", onDuplicate: "skip", content: "Name\nX", status: "PROCESSING" } });
    const e = await callerFor(rep).imports.undo({ id: running.id }).then(() => null, (err: TRPCError) => err);
    expect(e?.code).toBe("CONFLICT");
    expect(e?.message).toBe("This import is still running: undo it once it has finished.");
    expect(await codeOf(callerFor(rep).imports.undo({ id: randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(rep).imports.undo({ id: "not-a-uuid" }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await codeOf(callerFor(null).imports.undo({ id }))).toBe("UNAUTHORIZED");
  });
});

describe("an import whose user was disabled while it waited", () => {
  it("fails with the reason and creates nothing", async () => {
    const admin = await makeUser("ADMIN");
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const text = ["Name,Email", `Late ${u},late-${u}@example.com`].join("\n");
    const preview = previewImport({ text });
    const row = await db().contactImport.create({ data: { userId: rep.id, format: preview.kind, onDuplicate: "skip", content: text, mapping: preview.mapping as never } });
    await callerFor(admin).users.setDisabled({ id: rep.id, disabled: true });
    expect(await runImport(db(), row.id)).toEqual({ status: "FAILED" });
    expect(await db().contactImport.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "FAILED", error: "The user who started the import was disabled before it ran; nothing was imported", created: 0 });
    expect(await db().contact.count({ where: { email: `late-${u}@example.com` } })).toBe(0);
  });
});
