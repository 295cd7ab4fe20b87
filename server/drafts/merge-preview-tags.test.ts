// The draft page's merge preview lists the tags a merge adds (app/(app)/drafts/[id]/conflict-panel.tsx). It
// computes them with mergeTags, the function confirm's merge uses; here the preview's list is checked against
// what a real merge then writes.
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { getStorage } from "../storage";
import { callerFor, makeUser } from "../testing/fixtures";
import { insertDraft, removeScansOf, uniq } from "../testing/capture";
import { mergeTags } from "../contacts/tags";
import type { Actor } from "../trpc/context";

const db = getDb();
const users: Actor[] = [];
afterAll(async () => {
  await db.draftContact.deleteMany({ where: { userId: { in: users.map((u) => u.id) } } });
  await db.contact.deleteMany({ where: { ownerId: { in: users.map((u) => u.id) } } });
  await removeScansOf(getStorage(), users.map((u) => u.id));
});

describe("mergeTags", () => {
  it("keeps the contact's tags first and names only the new ones, normalized as stored", () => {
    expect(mergeTags(["VIP", "expo 2025"], ["vip", " Web  Summit ", "web summit", "new"])).toEqual({
      current: ["vip", "expo 2025"],
      tags: ["vip", "expo 2025", "web summit", "new"],
      added: ["web summit", "new"],
    });
    expect(mergeTags([], [])).toEqual({ current: [], tags: [], added: [] });
    expect(mergeTags(["a"], ["A"]).added).toEqual([]);
  });
});

describe("merge preview of a draft's tags", () => {
  it("lists exactly the tags the merge then adds to the contact", async () => {
    const rep = await makeUser("REP");
    users.push(rep);
    const api = callerFor(rep);
    const email = `tags.${uniq()}@preview.example`;
    const existing = await api.contacts.create({ fullName: "Tess Tagger", email, tags: ["vip", "expo-2025"] });
    const draft = await insertDraft(rep, { fullName: "Tess Tagger", email });
    // What the page sends on Confirm (the tags box as one line), and the saved draft the preview is built from.
    const saved = await api.drafts.update({ id: draft.id, fields: cardFields(email), tags: ["VIP, web-summit, Booth B12"] });
    await expect(api.drafts.confirm({ id: draft.id })).rejects.toMatchObject({ code: "CONFLICT" });

    const contact = await api.contacts.get({ id: existing.id });
    const { added } = mergeTags(contact.tags, saved.tags);
    expect(added).toEqual(["web-summit", "booth b12"]);

    await api.drafts.confirm({ id: draft.id, mergeInto: existing.id });
    const after = await api.contacts.get({ id: existing.id });
    expect(after.tags).toEqual([...contact.tags, ...added]);
  });
});

/** The seven card fields of the draft, as the review form sends them. */
function cardFields(email: string) {
  return { fullName: "Tess Tagger", title: null, company: null, email, phone: null, website: null, address: null };
}
