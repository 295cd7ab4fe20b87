// Discard racing something that removes or moves the draft between its read and its delete: a confirm from another
// tab, a second Discard, an admin handing the card to a colleague. Before, the delete was by id alone: a draft gone
// meanwhile was a 500, and a draft handed over meanwhile was deleted from the colleague with its photo.
// The real database and storage; the proxy only decides when the other action runs (right after discard's read).
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { insertDraft, insertScanWithImage, uniq } from "../testing/capture";
import { getStorage } from "../storage";
import { dbRunningAfterDraftRead } from "../testing/race-db";
import { discardDraft } from "./edit-drafts";

const storage = getStorage();

/** `db`, except that the other action runs right after discard reads the draft (its findFirst). */
const dbRunningAfterRead = (other: () => Promise<unknown>) => dbRunningAfterDraftRead(other);

async function draftWithPhoto(rep: Awaited<ReturnType<typeof makeUser>>) {
  const scan = await insertScanWithImage(storage, rep, { status: "DONE" });
  const draft = await insertDraft(rep, { fullName: `Race ${uniq()}` }, { scanId: scan.id });
  await db().cardScan.update({ where: { id: scan.id }, data: { draftId: draft.id } });
  return { scan, draft };
}

describe("discard racing another action on the same draft", () => {
  it("a confirm that commits first: discard answers 404 (the draft is gone), not 500, and the contact keeps the photo", async () => {
    const rep = await makeUser("REP");
    const { scan, draft } = await draftWithPhoto(rep);
    let contactId = "";
    const racing = dbRunningAfterRead(async () => {
      contactId = (await callerFor(rep).drafts.confirm({ id: draft.id, force: true })).contactId;
    });
    await expect(discardDraft(racing, storage, rep, draft.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(contactId).not.toBe("");
    expect(await db().contact.findUnique({ where: { id: contactId } })).not.toBeNull();
    expect(await db().cardScan.findUnique({ where: { id: scan.id } })).not.toBeNull();
  });

  it("a second Discard that got there first: 404 for the later one", async () => {
    const rep = await makeUser("REP");
    const { scan, draft } = await draftWithPhoto(rep);
    const racing = dbRunningAfterRead(() => discardDraft(db(), storage, rep, draft.id));
    await expect(discardDraft(racing, storage, rep, draft.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db().draftContact.findUnique({ where: { id: draft.id } })).toBeNull();
    expect(await db().cardScan.findUnique({ where: { id: scan.id } })).toBeNull();
  });

  it("the card handed to a colleague meanwhile: the colleague keeps the draft and its photo", async () => {
    const rep = await makeUser("REP");
    const colleague = await makeUser("REP");
    const { scan, draft } = await draftWithPhoto(rep);
    const racing = dbRunningAfterRead(() => db().draftContact.update({ where: { id: draft.id }, data: { userId: colleague.id } }));
    await expect(discardDraft(racing, storage, rep, draft.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db().draftContact.findUniqueOrThrow({ where: { id: draft.id } })).userId).toBe(colleague.id);
    expect(await db().cardScan.findUnique({ where: { id: scan.id } })).not.toBeNull();
  });
});
