// Tags and a note at capture time: the scan page's batch tags go with every uploaded card
// (CardScan.tags) and every pasted signature, the worker copies them onto the draft, the rep
// edits tags and a note on the draft, and confirm (or a merge) writes both to the contact.
// Real database, queue and worker process; one photo is OCR'd in this file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { AppError } from "../errors";
import { closeQueues } from "../queues/definitions";
import { callerFor, makeUser } from "../testing/fixtures";
import { spawnWorker, waitFor, type WorkerProcess } from "../testing/worker-process";
import { benchCard, makeImage } from "../testing/images";
import { insertDraft, insertScanWithImage, removeScansOf, uniq } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { uploadCards } from "../cards/upload-cards";
import { errorResponse } from "../http/error-response";

const db = getDb();
const storage = getStorage();
const users: Actor[] = [];
const newRep = async () => {
  const u = await makeUser("REP");
  users.push(u);
  return u;
};

afterAll(async () => {
  await removeScansOf(storage, users.map((u) => u.id));
  await closeQueues();
});

/** The failed call's AppError (through tRPC, or thrown directly by domain code). */
async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err,
  );
  if (e instanceof AppError) return e;
  expect(e).toBeInstanceOf(TRPCError);
  const cause = (e as TRPCError).cause;
  expect(cause).toBeInstanceOf(AppError);
  return cause as AppError;
}

const fieldErrorsOf = (e: AppError) => (e.details?.fieldErrors ?? {}) as Record<string, string[]>;
const longWord = "x".repeat(10_000);
const tooMany = Array.from({ length: 31 }, (_, i) => `t${i}`).join(", ");

describe("upload with tags → worker → draft → contact", () => {
  let worker: WorkerProcess;
  beforeAll(async () => {
    worker = spawnWorker({ OCR_WORKERS: "1" });
    await waitFor(async () => worker.output().includes("worker started") || worker.child.exitCode !== null, "worker start", 60_000, 200);
    if (worker.child.exitCode !== null) throw new Error(`worker exited at start:\n${worker.output()}`);
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) await worker.stop("SIGKILL");
  });

  it("the batch's tags (normalized) are on the scan, on the draft the worker makes, and on the confirmed contact with the rep's note", { timeout: 150_000 }, async () => {
    const rep = await newRep();
    const { bytes, truth } = benchCard("own-01.jpg");
    const { scans } = await uploadCards({ db, storage, actor: rep, tags: ["  Web-Summit-2026, VIP ,vip,, 🚀 booth <script>"] }, [{ name: "own-01.jpg", bytes }]);
    expect(scans).toHaveLength(1);
    const expected = ["web-summit-2026", "vip", "🚀 booth <script>"];
    expect((await db.cardScan.findUniqueOrThrow({ where: { id: scans[0].id } })).tags).toEqual(expected);

    const scan = await waitFor(
      async () => {
        const s = await callerFor(rep).scans.get({ id: scans[0].id });
        return s.status === "DONE" || s.status === "FAILED" ? s : undefined;
      },
      "scan to finish",
      90_000,
      250,
    );
    expect(scan.status).toBe("DONE");
    const draft = await callerFor(rep).drafts.get({ id: scan.draftId! });
    expect(draft.tags).toEqual(expected);
    expect(draft.notes).toBeNull();

    // The rep adds a note (and a tag) on the draft, then confirms.
    const saved = await callerFor(rep).drafts.update({ id: draft.id, fields: {}, tags: [...draft.tags, "Demo"], notes: "Met at booth B12,\nwants a demo" });
    expect(saved).toMatchObject({ tags: [...expected, "demo"], notes: "Met at booth B12,\nwants a demo" });
    // `force`: the shared test database may hold this bench card's person already.
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draft.id, force: true });
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(contact.tags).toEqual([...expected, "demo"]);
    expect(contact.fullName).toBe(truth.fullName);
    // The rep's note is the contact's notes; a card with more numbers keeps them as other numbers, not in the notes.
    expect(contact.notes).toBe("Met at booth B12,\nwants a demo");
    if (draft.phones.length > 1) expect((contact.otherPhones as unknown[]).length).toBeGreaterThan(0);
  });
});

describe("bad batch tags: 422 naming tags, nothing created", () => {
  it.each([
    ["a 10,000-character tag", longWord, /longer than 40 characters \(10,000\)/],
    ["31 tags", tooMany, /At most 30 tags; this has 31/],
  ])("upload with %s", async (_, tags, message) => {
    const rep = await newRep();
    const bytes = await makeImage("jpeg", { width: 90, height: 50 });
    const e = await failure(uploadCards({ db, storage, actor: rep, tags }, [{ name: "card.jpg", bytes }]));
    expect(e.code).toBe("VALIDATION");
    expect(fieldErrorsOf(e).tags[0]).toMatch(message);
    expect(await db.cardScan.count({ where: { userId: rep.id } })).toBe(0);
    // What the route answers: 422 with the field named.
    const res = errorResponse(e, "req-1");
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { message: string; details: { fieldErrors: { tags: string[] } } } };
    expect(body.error.message).toMatch(/^tags: /);
    expect(body.error.details.fieldErrors.tags[0]).toMatch(message);
  });

  it("no tags, empty tags, only commas: the scan has none", async () => {
    const rep = await newRep();
    for (const [i, tags] of [undefined, "", " , ,", []].entries()) {
      const bytes = await makeImage("jpeg", { width: 90, height: 50, seed: i + 1 });
      const { scans } = await uploadCards({ db, storage, actor: rep, tags: tags as string | string[] | undefined }, [{ name: `c${i}.jpg`, bytes }]);
      expect((await db.cardScan.findUniqueOrThrow({ where: { id: scans[0].id } })).tags).toEqual([]);
    }
  });
});

describe("pasted signature with tags", () => {
  const signature = () => `Jane Cooper\nHead of Sales\nNorthwind ${uniq()} Ltd\njane.${uniq()}@northwind.example`;

  it("the draft carries the normalized tags, and confirm puts them on the contact", async () => {
    const rep = await newRep();
    const { draftId } = await callerFor(rep).drafts.fromText({ text: signature(), tags: ["Expo-Paris, VIP", "vip"] });
    const draft = await callerFor(rep).drafts.get({ id: draftId });
    expect(draft.tags).toEqual(["expo-paris", "vip"]);
    const { contactId } = await callerFor(rep).drafts.confirm({ id: draftId, force: true });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contactId } })).tags).toEqual(["expo-paris", "vip"]);
  });

  it.each([
    ["a 10,000-character tag", [longWord], /longer than 40 characters/],
    ["31 tags", [tooMany], /At most 30 tags/],
  ])("%s: 422 naming tags, no draft", async (_, tags, message) => {
    const rep = await newRep();
    const e = await failure(callerFor(rep).drafts.fromText({ text: signature(), tags }));
    expect(e.code).toBe("VALIDATION");
    expect(fieldErrorsOf(e).tags[0]).toMatch(message);
    expect(await db.draftContact.count({ where: { userId: rep.id } })).toBe(0);
  });
});

describe("drafts.update: tags and notes", () => {
  it("stores normalized tags and cleaned notes (emoji, <script> kept as text; control characters dropped); empty clears", async () => {
    const rep = await newRep();
    const d = await insertDraft(rep, { fullName: "Tag Person" });
    const v = await callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: ["A, b", " B "], notes: "  <script>alert(1)</script> 🚀\u0000\n\tline two  " });
    expect(v.tags).toEqual(["a", "b"]);
    expect(v.notes).toBe("<script>alert(1)</script> 🚀\n\tline two");
    // A draft from before this existed (no tags/notes) or one whose tags are broken reads as none.
    const cleared = await callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: [], notes: "" });
    expect(cleared).toMatchObject({ tags: [], notes: null });
    // Not given: left as they are.
    await callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: ["x"], notes: "kept" });
    expect(await callerFor(rep).drafts.update({ id: d.id, fields: { title: "CEO" } })).toMatchObject({ tags: ["x"], notes: "kept" });
  });

  it("notes at the limit are saved; one character more is 422 naming notes, and nothing is saved", async () => {
    const rep = await newRep();
    const d = await insertDraft(rep, { fullName: "Long Notes" });
    const ok = await callerFor(rep).drafts.update({ id: d.id, fields: {}, notes: "n".repeat(10_000) });
    expect(ok.notes).toHaveLength(10_000);
    const e = await failure(callerFor(rep).drafts.update({ id: d.id, fields: { title: "Changed" }, notes: "n".repeat(10_001) }));
    expect(fieldErrorsOf(e).notes[0]).toMatch(/longer than 10,000 characters \(10,001\)/);
    const view = await callerFor(rep).drafts.get({ id: d.id });
    expect(view.fields.title).toBeNull();
    expect(view.notes).toHaveLength(10_000);
  });

  it("bad tags and a bad phone are reported together; nothing is saved", async () => {
    const rep = await newRep();
    const d = await insertDraft(rep, { fullName: "Two Errors" });
    const e = await failure(callerFor(rep).drafts.update({ id: d.id, fields: { phone: "12" }, tags: [tooMany], notes: "fine" }));
    expect(Object.keys(fieldErrorsOf(e)).sort()).toEqual(["phone", "tags"]);
    const view = await callerFor(rep).drafts.get({ id: d.id });
    expect(view).toMatchObject({ tags: [], notes: null });
  });

  it("a 10,000-character tag, or 41 characters, is 422 naming tags; past the coarse bound zod names tags.0", async () => {
    const rep = await newRep();
    const d = await insertDraft(rep, { fullName: "Long Tag" });
    let e = await failure(callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: [longWord] }));
    expect(fieldErrorsOf(e).tags[0]).toMatch(/^The tag "x{30}…" is longer than 40 characters \(10,000\)$/);
    e = await failure(callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: ["y".repeat(41)] }));
    expect(fieldErrorsOf(e).tags[0]).toMatch(/longer than 40 characters \(41\)/);
    expect(await callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: ["y".repeat(40)] })).toMatchObject({ tags: ["y".repeat(40)] });
    const zodErr = (await callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: ["z".repeat(20_001)] }).catch((err: unknown) => err)) as TRPCError;
    expect(zodErr.code).toBe("UNPROCESSABLE_CONTENT");
    expect((zodErr.cause as unknown as { issues: { path: unknown[] }[] }).issues[0].path).toEqual(["tags", 0]);
  });
});

describe("confirm and merge with tags and notes", () => {
  it("confirm: the rep's note is the notes, the card's other numbers are other numbers", async () => {
    const rep = await newRep();
    const d = await insertDraft(rep, { fullName: `Numbers ${uniq()}`, phone: "+12025550143" });
    await db.draftContact.update({
      where: { id: d.id },
      data: { extractedData: { ...(d.extractedData as object), phones: [{ e164: "+12025550143", type: "work" }, { e164: "+12025550199", type: "mobile" }], tags: ["expo"], notes: "Wants a demo" } },
    });
    const { contactId } = await callerFor(rep).drafts.confirm({ id: d.id, force: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    expect(c.tags).toEqual(["expo"]);
    expect(c.notes).toBe("Wants a demo");
    expect(c.otherPhones).toEqual([{ type: "mobile", e164: "+12025550199" }]);
  });

  it("merge adds the draft's tags to the contact's and appends the note after the contact's notes", async () => {
    const rep = await newRep();
    const email = `merge.${uniq()}@x.example`;
    const contact = await callerFor(rep).contacts.create({ fullName: "Merge Target", email, tags: ["old", "vip"], notes: "Known since 2024" });
    const d = await insertDraft(rep, { fullName: "Merge Target", email });
    await callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: ["VIP, web-summit-2026"], notes: "Met at booth B12" });
    const r = await callerFor(rep).drafts.confirm({ id: d.id, mergeInto: contact.id });
    expect(r).toEqual({ contactId: contact.id, merged: true });
    const c = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(c.tags).toEqual(["old", "vip", "web-summit-2026"]);
    expect(c.notes).toBe("Known since 2024\nMet at booth B12");
  });

  it("a merge past 30 tags is 422 naming tags; the contact and the draft are unchanged", async () => {
    const rep = await newRep();
    const email = `full.${uniq()}@x.example`;
    const existing = Array.from({ length: 28 }, (_, i) => `c${i}`);
    const contact = await callerFor(rep).contacts.create({ fullName: "Full Tags", email, tags: existing, notes: "before" });
    const d = await insertDraft(rep, { fullName: "Full Tags", email });
    await callerFor(rep).drafts.update({ id: d.id, fields: {}, tags: ["n1, n2, n3, c0"], notes: "should not land" });
    const e = await failure(callerFor(rep).drafts.confirm({ id: d.id, mergeInto: contact.id }));
    expect(e.code).toBe("VALIDATION");
    expect(fieldErrorsOf(e).tags[0]).toMatch(/has 28 tags; with this draft's it would have 31, and the limit is 30/);
    const c = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(c).toMatchObject({ tags: existing, notes: "before" });
    expect((await callerFor(rep).drafts.get({ id: d.id })).tags).toEqual(["n1", "n2", "n3", "c0"]);
  });

  it("a typed-in draft of a FAILED scan carries the scan's tags", async () => {
    const rep = await newRep();
    const scan = await insertScanWithImage(storage, rep, { status: "FAILED", bytes: await makeImage("jpeg", { width: 90, height: 50 }) });
    await db.cardScan.update({ where: { id: scan.id }, data: { tags: ["expo"] } });
    const { id } = await callerFor(rep).drafts.fromFailedScan({ scanId: scan.id });
    expect((await callerFor(rep).drafts.get({ id })).tags).toEqual(["expo"]);
  });
});
