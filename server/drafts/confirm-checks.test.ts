// Confirm's duplicate check is the contacts module's (find-duplicate-contacts.ts), and a save from another tab during
// a confirm is not lost (confirm-draft.ts). Each case was reproduced by a hostile review before the fix.
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { insertDraft, uniq } from "../testing/capture";
import { dbRunningAfterDraftRead } from "../testing/race-db";
import { confirmDraft } from "./confirm-draft";

type Actor = Awaited<ReturnType<typeof makeUser>>;

async function contact(owner: { id: string }, data: Record<string, string | null>) {
  return db().contact.create({ data: { fullName: "x", ownerId: owner.id, ...data } as never });
}

/** "created" or the refusal: its code, and the matched contacts' ids when it is a duplicate. */
async function confirmOutcome(rep: Actor, fields: Record<string, string | null>) {
  const d = await insertDraft(rep, fields);
  try {
    await callerFor(rep).drafts.confirm({ id: d.id });
    return { outcome: "created" as const, matches: [] as string[] };
  } catch (e) {
    const err = e as { code?: string; cause?: { details?: { matches?: { id: string; reasons: string[] }[] } } };
    const matches = err.cause?.details?.matches ?? [];
    expect(matches.every((m) => m.reasons.length > 0)).toBe(true);
    return { outcome: err.code ?? "THROWN", matches: matches.map((m) => m.id) };
  }
}

describe("confirm's duplicate check", () => {
  it("'_' and '%' are characters, not wildcards, and a trailing backslash is no 500", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    await contact(rep, { fullName: `Carla Diaz ${u}`, company: `Zeta ${u}`, email: `j.doe${u}@zeta.com` });
    expect(await confirmOutcome(rep, { fullName: `Jon Doe ${u}`, email: `j_doe${u}@zeta.com` })).toEqual({ outcome: "created", matches: [] });
    expect(await confirmOutcome(rep, { fullName: `%${u}`, company: "Ze%" })).toEqual({ outcome: "created", matches: [] });
    const first = await confirmOutcome(rep, { fullName: `Jane Doe ${u}`, company: `Northwind ${u} Ltd \\` });
    expect(first.outcome).toBe("created");
    expect((await confirmOutcome(rep, { fullName: `Jane Doe ${u}`, company: `Northwind ${u} Ltd \\` })).outcome).toBe("CONFLICT");
  });

  it("a shared switchboard number does not make a colleague the same person", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const phone = `+1212555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    await contact(rep, { fullName: `Alice Ng ${u}`, company: `Acme ${u}`, email: `alice.${u}@acme.com`, phone });
    expect(await confirmOutcome(rep, { fullName: `Bob Stone ${u}`, company: `Acme ${u}`, email: `bob.${u}@acme.com`, phone })).toEqual({ outcome: "created", matches: [] });
  });

  it("finds the same person whose name or company differs only by accents, spacing or punctuation", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const jurgen = await contact(rep, { fullName: `Jürgen Müller ${u}`, company: `Brückner Bau ${u} GmbH` });
    expect(await confirmOutcome(rep, { fullName: `Jurgen Muller ${u}`, company: `Bruckner Bau ${u} GmbH` })).toEqual({ outcome: "CONFLICT", matches: [jurgen.id] });
    const anna = await contact(rep, { fullName: `Anna Schmidt ${u}`, company: `Acme ${u} Inc.` });
    expect(await confirmOutcome(rep, { fullName: `Anna  Schmidt ${u}`, company: `Acme ${u}, Inc.` })).toEqual({ outcome: "CONFLICT", matches: [anna.id] });
  });

  it("still finds the same email in another case", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const c = await contact(rep, { fullName: `Dee ${u}`, email: `dee.${u}@example.com` });
    expect(await confirmOutcome(rep, { fullName: `Someone ${u}`, email: `DEE.${u}@Example.com` })).toEqual({ outcome: "CONFLICT", matches: [c.id] });
  });
});

describe("a save from another tab while confirm runs", () => {
  it("is not lost: confirm answers 409, no contact is made, and the draft keeps the saved edit", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const d = await insertDraft(rep, { fullName: `Old Name ${u}`, email: `old.${u}@x.example` });
    const racing = dbRunningAfterDraftRead(() => callerFor(rep).drafts.update({ id: d.id, fields: { fullName: `New Name ${u}`, email: `new.${u}@x.example` } }), { once: true });
    await expect(confirmDraft(racing, rep, { id: d.id, force: true })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/saved from another tab/) });
    expect(await db().contact.count({ where: { fullName: { in: [`Old Name ${u}`, `New Name ${u}`] } } })).toBe(0);
    const view = await callerFor(rep).drafts.get({ id: d.id });
    expect(view.fields).toMatchObject({ fullName: `New Name ${u}`, email: `new.${u}@x.example` });
    // Confirmed again, it makes the contact from the saved values.
    const { contactId } = await callerFor(rep).drafts.confirm({ id: d.id, force: true });
    expect(await db().contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({ fullName: `New Name ${u}` });
  });
});

describe("confirm checks the fields it stores", () => {
  it.each([
    ["an email that is not one", { email: "not an email, bob@x.com" }, "email"],
    ["a javascript: website", { website: "javascript:alert(document.cookie)" }, "website"],
    ["a title over the limit", { title: "T".repeat(2_500) }, "title"],
    ["a company with a line break", { company: "Line1\nLine2" }, "company"],
  ])("%s, never saved through the page, is a 422 naming the field, and no contact is made", async (_name, extra, field) => {
    const rep = await makeUser("REP");
    const u = uniq();
    const d = await insertDraft(rep, { fullName: `Checked ${u}`, ...extra });
    const err = await callerFor(rep).drafts.confirm({ id: d.id, force: true }).then(() => null, (e: { code: string; cause?: { details?: { fieldErrors?: Record<string, string[]> } } }) => e);
    expect(err?.code).toBe("UNPROCESSABLE_CONTENT");
    expect(Object.keys(err?.cause?.details?.fieldErrors ?? {})).toEqual([field]);
    expect(await db().contact.count({ where: { fullName: `Checked ${u}` } })).toBe(0);
  });
});

describe("namesakes", () => {
  it("the same name, both without a company, with different emails, are two people: no duplicate prompt", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    await contact(rep, { fullName: `Chris Lee ${u}`, email: `chris.one-${u}@alpha.example` });
    expect(await confirmOutcome(rep, { fullName: `Chris Lee ${u}`, email: `chris.two-${u}@beta.example` })).toEqual({ outcome: "created", matches: [] });
  });
  it("the same name without an email on one side is still asked about", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const c = await contact(rep, { fullName: `Dana Fox ${u}` });
    expect(await confirmOutcome(rep, { fullName: `Dana Fox ${u}`, email: `dana-${u}@x.example` })).toEqual({ outcome: "CONFLICT", matches: [c.id] });
  });
});
