// A merge import never overwrites a field, but it no longer loses what the row had for a field the contact already
// filled: the row's notes (with the "Other emails" / "Other websites" lines the import writes) and an email or a
// website different from the contact's go to the end of the contact's notes (merge-notes.ts). Idempotent: the same
// file imported again adds nothing.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FIELD_LIMITS } from "../contacts/normalize";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { importText } from "../testing/imports";
import { notesAfterMerge } from "./merge-notes";

describe("merge import keeps the row's notes and other addresses", () => {
  it("adds the row's notes and its second email after the contact's own notes, once", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann ${u}`, email: `ann-${u}@example.com`, notes: "met at the expo" });
    const csv = ["Name,E-mail Address,E-mail 2 Address,Notes", `Ann ${u},ann-${u}@example.com,ann.home-${u}@example.org,call on Tuesday`].join("\n");
    const { report } = await importText(rep, csv, { onDuplicate: "merge" });
    expect(report).toMatchObject({ created: 0, merged: 1 });
    const after = await db().contact.findUniqueOrThrow({ where: { id: ann.id } });
    expect(after.notes).toBe(`met at the expo\ncall on Tuesday\nOther emails: ann.home-${u}@example.org`);
    expect(after.email).toBe(`ann-${u}@example.com`);

    await importText(rep, csv, { onDuplicate: "merge" });
    expect((await db().contact.findUniqueOrThrow({ where: { id: ann.id } })).notes).toBe(after.notes);
  });

  it("a row with another website than the contact's keeps it in the notes", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const bob = await callerFor(rep).contacts.create({ fullName: `Bob ${u}`, company: `Acme ${u}`, email: `bob-${u}@acme.example`, website: "https://acme.example" });
    const csv = ["Name,Company,Email,Website", `Bob ${u},Acme ${u},BOB-${u}@acme.example,https://bob.example`].join("\n");
    const { report } = await importText(rep, csv, { onDuplicate: "merge" });
    expect(report).toMatchObject({ merged: 1 });
    const after = await db().contact.findUniqueOrThrow({ where: { id: bob.id } });
    expect(after).toMatchObject({ email: `bob-${u}@acme.example`, website: "https://acme.example", notes: "Other websites: https://bob.example" });
  });

  it("two rows of one file for the same person: the second one's notes and second email go to the new contact's notes", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const csv = ["Name,Email,Email 2,Notes", `Cy ${u},cy-${u}@initech.example,,first`, `Cy ${u},cy-${u}@initech.example,cy.home-${u}@example.org,second`].join("\n");
    const { report } = await importText(rep, csv, { onDuplicate: "merge" });
    expect(report).toMatchObject({ created: 1, merged: 1 });
    const cy = await db().contact.findFirstOrThrow({ where: { email: `cy-${u}@initech.example` } });
    expect(cy.notes).toBe(`first\nsecond\nOther emails: cy.home-${u}@example.org`);
  });

  it("full notes stay as they are, and the row is still merged", async () => {
    const rep = await makeUser("REP");
    const u = randomUUID().slice(0, 8);
    const full = "n".repeat(FIELD_LIMITS.notes);
    const dee = await callerFor(rep).contacts.create({ fullName: `Dee ${u}`, email: `dee-${u}@example.com`, notes: full });
    const csv = ["Name,Email,Title,Notes", `Dee ${u},dee-${u}@example.com,Buyer,more`].join("\n");
    const { report } = await importText(rep, csv, { onDuplicate: "merge" });
    expect(report).toMatchObject({ merged: 1, invalid: 0 });
    expect(await db().contact.findUniqueOrThrow({ where: { id: dee.id } })).toMatchObject({ notes: full, title: "Buyer" });
  });
});

describe("notesAfterMerge", () => {
  const contact = { notes: "Other emails: a@x.example, b@x.example", website: null, linkedinUrl: "https://www.linkedin.com/in/x" };
  it("adds nothing that is already there: an address listed with others, a line in other case, the LinkedIn URL", () => {
    expect(notesAfterMerge(contact, { notes: "Other emails: B@x.example" })).toBeUndefined();
    expect(notesAfterMerge(contact, { notes: "other emails: a@x.example, b@x.example" })).toBeUndefined();
    expect(notesAfterMerge(contact, { website: "https://www.linkedin.com/in/x" })).toBeUndefined();
    expect(notesAfterMerge(contact, { notes: "Other emails: b@x.example, c@x.example" })).toBe(`${contact.notes}\nOther emails: b@x.example, c@x.example`);
  });
  it("a contact without a website gets no Other line (the import fills the field instead)", () => {
    expect(notesAfterMerge({ notes: null, website: null, linkedinUrl: null }, { website: "https://x.example" })).toBeUndefined();
  });
  it("repeated lines of the row are added once", () => {
    expect(notesAfterMerge({ notes: null, website: null, linkedinUrl: null }, { notes: "x\n\nx\ny" })).toBe("x\ny");
  });
});
