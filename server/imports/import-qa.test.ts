// Import fixes from a HubSpot migration QA: a shared switchboard number is not one person (import and the
// duplicate finder), at most 30 tags after an import merge, an address exported in parts (and the phone read in
// its country), spreadsheet apostrophes taken off again, tag separators. Real PostgreSQL, no mocks.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { importText, type ImportTextOptions } from "../testing/imports";
import { randomUsPhone } from "../testing/capture";
import type { Actor } from "../trpc/context";
import { exportContacts, exportQuery, readAll } from "../contacts/export-contacts";
import { findDuplicateContacts } from "../contacts/find-duplicates";
import { normalizeTags } from "../contacts/tags";
import { addressColumn, autoMapping } from "./parse-csv";
import { readRows, rowToContact, unneutralizeCell } from "./read-rows";
import { runImport, uniteTagsForMerge } from "./run-import";

const uniq = () => randomUUID().replace(/-/g, "").slice(0, 8);
const digits = (p: string) => p.replace(/\D/g, "");

const importNow = async (actor: Actor, text: string, onDuplicate: ImportTextOptions["onDuplicate"] = "skip", mapping?: string[]) =>
  (await importText(actor, text, { onDuplicate, mapping })).report;

const imported = (importId: string) => db().contact.findMany({ where: { importId }, orderBy: { fullName: "asc" } });

describe("a shared switchboard number on import", () => {
  it("skip: colleagues on the switchboard of an existing 'Front Desk' are not its duplicates", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const phone = randomUsPhone();
    const desk = await callerFor(rep).contacts.create({ fullName: "Front Desk", company: `Initech ${u}`, phone });
    const csv = [
      "Name,Email,Company,Phone",
      `John Doe,john.${u}@initech.example,Initech ${u},${phone}`,
      `Jane Roe,jane.${u}@initech.example,Initech ${u},${phone}`,
      `Bill Lumbergh,,Initech ${u},${phone}` /* no email: still not "Front Desk" */,
    ].join("\n");
    const r = await importNow(rep, csv, "skip");
    expect(r).toMatchObject({ created: 3, skipped: 0, merged: 0, invalid: 0 });
    expect(r.report).toEqual([]);
    expect((await imported(r.id)).map((c) => [c.fullName, c.email, c.phone])).toEqual([
      ["Bill Lumbergh", null, `+${digits(phone)}`],
      ["Jane Roe", `jane.${u}@initech.example`, `+${digits(phone)}`],
      ["John Doe", `john.${u}@initech.example`, `+${digits(phone)}`],
    ]);
    expect((await callerFor(rep).contacts.get({ id: desk.id })).email).toBeNull();
  });

  it("merge: never writes John's email onto 'Front Desk'; John gets his own contact", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const phone = randomUsPhone();
    const desk = await callerFor(rep).contacts.create({ fullName: "Front Desk", company: `Initech ${u}`, phone, tags: ["switchboard"] });
    const csv = [
      "Name,Email,Company,Phone,Title,Tags",
      `John Doe,john.${u}@initech.example,Initech ${u},${phone},Engineer,eng`,
      `Jane Roe,jane.${u}@initech.example,Initech ${u},${phone},Manager,mgmt`,
      `Bill Lumbergh,,Initech ${u},${phone},VP,vp`,
    ].join("\n");
    const r = await importNow(rep, csv, "merge");
    expect(r).toMatchObject({ created: 3, merged: 0, skipped: 0 });
    const after = await callerFor(rep).contacts.get({ id: desk.id });
    expect(after).toMatchObject({ fullName: "Front Desk", email: null, title: null, tags: ["switchboard"] });
    const john = (await imported(r.id)).find((c) => c.fullName === "John Doe");
    expect(john).toMatchObject({ email: `john.${u}@initech.example`, title: "Engineer", tags: ["eng"] });
  });

  it("inside one file: a 'Reception' row without email first does not swallow the colleagues after it", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const phone = randomUsPhone();
    const csv = [
      "Name,Email,Company,Phone",
      `Reception,,Initech ${u},${phone}`,
      `John Doe,john.${u}@initech.example,Initech ${u},${phone}`,
      `Jane Roe,jane.${u}@initech.example,Initech ${u},${phone}`,
      `Bill Lumbergh,,Initech ${u},${phone}`,
    ].join("\n");
    for (const policy of ["skip", "merge"] as const) {
      // The second run finds the first run's contacts: every row is then a duplicate of its own name.
      const r = await importNow(rep, csv, policy);
      if (policy === "skip") {
        expect(r).toMatchObject({ created: 4, skipped: 0, merged: 0 });
        expect((await imported(r.id)).map((c) => [c.fullName, c.email])).toEqual([
          ["Bill Lumbergh", null], ["Jane Roe", `jane.${u}@initech.example`], ["John Doe", `john.${u}@initech.example`], ["Reception", null],
        ]);
      } else {
        expect(r).toMatchObject({ created: 0, skipped: 0, merged: 4 });
        expect(r.report).toEqual([]);
        expect(await db().contact.count({ where: { company: `Initech ${u}` } })).toBe(4);
        const reception = await db().contact.findFirstOrThrow({ where: { fullName: "Reception", company: `Initech ${u}` } });
        expect(reception.email).toBeNull();
      }
    }
  });

  it("the same phone and the same name is the same person (also at another company); conflicting emails are two", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const mobile = randomUsPhone();
    const other = randomUsPhone();
    const john = await callerFor(rep).contacts.create({ fullName: `John Doe ${u}`, company: `Initech ${u}`, phone: mobile });
    const ann = await callerFor(rep).contacts.create({ fullName: `Ann Lee ${u}`, email: `ann.${u}@a.example`, phone: other });
    const csv = [
      "Name,Email,Company,Phone",
      `JOHN DOE ${u},john.${u}@initrode.example,Initrode ${u},${mobile}` /* 2: changed jobs, kept the mobile */,
      `Ann Lee ${u},ann.${u}@b.example,,${other}` /* 3: same name and number, another address: another Ann */,
      `Ann-Lee ${u},,,${other}` /* 4: punctuation aside the same name, no email: the first Ann */,
    ].join("\n");
    const skip = await importNow(rep, csv, "skip");
    expect(skip).toMatchObject({ created: 1, skipped: 2 });
    expect(skip.report.map((e) => [e.row, e.reason])).toEqual([
      [2, `duplicate of existing contact "John Doe ${u}" (same phone)`],
      [4, `duplicate of existing contact "Ann Lee ${u}" (same phone)`],
    ]);
    expect((await imported(skip.id)).map((c) => c.email)).toEqual([`ann.${u}@b.example`]);

    const merge = await importNow(rep, csv, "merge");
    expect(merge).toMatchObject({ created: 0, merged: 3 });
    // The row's email fills John's blank: the name on the contact is his.
    expect((await callerFor(rep).contacts.get({ id: john.id })).email).toBe(`john.${u}@initrode.example`);
    expect((await callerFor(rep).contacts.get({ id: ann.id })).email).toBe(`ann.${u}@a.example`);
  });

  it("a name with no letters or digits never matches by phone", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const phone = randomUsPhone();
    await callerFor(rep).contacts.create({ fullName: "—", phone });
    const r = await importNow(rep, `Name,Company,Phone\n"'",Co ${u},${phone}\n...,Other ${u},${phone}\n`, "skip");
    expect(r).toMatchObject({ created: 2, skipped: 0 });
    expect((await imported(r.id)).map((c) => c.fullName).sort()).toEqual(["'", "..."]);
  });
});

describe("the duplicate finder and a shared number", () => {
  it("findDuplicateContacts: with a name, the same phone counts only for the same name without conflicting emails", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const phone = randomUsPhone();
    const desk = await db().contact.create({ data: { fullName: "Front Desk", company: `Initech ${u}`, phone: `+${digits(phone)}`, ownerId: rep.id } });
    const john = await db().contact.create({ data: { fullName: "John Doe", company: `Initech ${u}`, email: `john.${u}@x.example`, phone: `+${digits(phone)}`, ownerId: rep.id } });

    const forJane = await findDuplicateContacts(db(), { fullName: "Jane Roe", company: `Initech ${u}`, phone, email: `jane.${u}@x.example` });
    expect(forJane).toEqual([]);
    const forJohn = await findDuplicateContacts(db(), { fullName: "john doe", company: "Elsewhere", phone });
    expect(forJohn.map((c) => [c.id, c.reasons])).toEqual([[john.id, ["phone"]]]);
    const otherJohn = await findDuplicateContacts(db(), { fullName: "John Doe", company: "Elsewhere", phone, email: `jd.${u}@y.example` });
    expect(otherJohn).toEqual([]);
    // By the number alone (no name to compare), everyone on it is listed.
    const byNumber = await findDuplicateContacts(db(), { phone });
    expect(byNumber.map((c) => c.id)).toEqual([desk.id, john.id]);
  });

  it("contacts.duplicates: colleagues on one switchboard are not pairs; the same person under two companies is", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const api = callerFor(rep).contacts;
    const phone = randomUsPhone();
    const desk = await api.create({ fullName: `Front Desk ${u}`, company: `Initech ${u}`, phone });
    const john = await api.create({ fullName: `John Doe ${u}`, company: `Initech ${u}`, email: `john.${u}@x.example`, phone });
    const jane = await api.create({ fullName: `Jane Roe ${u}`, company: `Initech ${u}`, email: `jane.${u}@x.example`, phone });
    const john2 = await api.create({ fullName: `john doe ${u}`, company: `Initrode ${u}`, phone });
    const john3 = await api.create({ fullName: `John Doe ${u}`, company: `Other ${u}`, email: `jd.${u}@y.example`, phone });
    const pairs = await api.duplicates({ search: u });
    const key = (x: string, y: string) => [x, y].sort().join();
    const found = new Map(pairs.map((p) => [key(p.a.id, p.b.id), p.reasons]));
    expect(found.get(key(john.id, john2.id))).toEqual(["phone"]);
    expect(found.get(key(john3.id, john2.id))).toEqual(["phone"]);
    // Conflicting emails: two people, even with the same name and number.
    expect(found.has(key(john.id, john3.id))).toBe(false);
    for (const [a, b] of [[desk.id, john.id], [desk.id, jane.id], [john.id, jane.id], [desk.id, john2.id]]) expect(found.has(key(a, b))).toBe(false);
  });
});

describe("tags on an import merge: at most 30", () => {
  const tags = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

  it("uniteTagsForMerge: the contact's tags first; past 30 it says how many instead; old data with more takes no new tag", () => {
    expect(uniteTagsForMerge(tags("c", 25), [...tags("r", 5), "C1"])).toEqual({ ok: true, tags: [...tags("c", 25), ...tags("r", 5)] });
    expect(uniteTagsForMerge(tags("c", 25), tags("r", 6))).toEqual({ ok: false, count: 31 });
    expect(uniteTagsForMerge(tags("c", 35), ["C2", "c3 "])).toEqual({ ok: true, tags: tags("c", 35) });
    expect(uniteTagsForMerge(tags("c", 35), ["x"])).toEqual({ ok: false, count: 36 });
    expect(uniteTagsForMerge([], [])).toEqual({ ok: true, tags: [] });
  });

  it("a row that would give a contact 35 tags is skipped with the count; one that fits is merged; a 40-tag row is invalid", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const c = await callerFor(rep).contacts.create({ fullName: `Tagged ${u}`, email: `t.${u}@example.com`, tags: tags("c", 25) });
    const fits = await callerFor(rep).contacts.create({ fullName: `Fits ${u}`, email: `f.${u}@example.com`, tags: tags("c", 25) });
    const csv = [
      "Name,Email,Title,Tags",
      `Tagged ${u},t.${u}@example.com,CFO,"${tags("r", 10).join(", ")}"` /* 2: 35 together */,
      `Fits ${u},f.${u}@example.com,CTO,"${[...tags("r", 5), "c1", "C2"].join("; ")}"` /* 3: 30 together */,
      `Tagged ${u},t.${u}@example.com,,"${tags("r", 40).join(",")}"` /* 4: 40 in the row itself */,
    ].join("\n");
    const r = await importNow(rep, csv, "merge");
    expect(r).toMatchObject({ merged: 1, skipped: 1, invalid: 1, created: 0 });
    expect(r.report).toEqual([
      { row: 2, kind: "skipped", reason: `duplicate of existing contact "Tagged ${u}" (same email), not merged: together they have 35 tags and a contact has at most 30; remove 5 tags and import the row again` },
      { row: 4, kind: "invalid", reason: `more than 30 tags (Tagged ${u})` },
    ]);
    // Nothing of the refused row was written (not its title either); the row that fits was merged whole.
    expect(await callerFor(rep).contacts.get({ id: c.id })).toMatchObject({ title: null, tags: tags("c", 25) });
    expect(await callerFor(rep).contacts.get({ id: fits.id })).toMatchObject({ title: "CTO", tags: [...tags("c", 25), ...tags("r", 5)] });
  });

  it("a contact with 35 tags from old data keeps them: a row with no new tag is merged, one with a new tag is skipped", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const legacy = await db().contact.create({ data: { fullName: `Legacy ${u}`, email: `legacy.${u}@example.com`, ownerId: rep.id, tags: tags("old", 35) } });
    const r = await importNow(rep, `Name,Email,Title,Tags\nLegacy ${u},legacy.${u}@example.com,CEO,old1\nLegacy ${u},legacy.${u}@example.com,,new\n`, "merge");
    expect(r).toMatchObject({ merged: 1, skipped: 1 });
    expect(r.report).toEqual([{ row: 3, kind: "skipped", reason: expect.stringMatching(/together they have 36 tags and a contact has at most 30; remove 6 tags/) }]);
    expect(await db().contact.findUniqueOrThrow({ where: { id: legacy.id } })).toMatchObject({ title: "CEO", tags: tags("old", 35) });
  });

  it("two rows of one file with 20 tags each: the first is created, the second (40 together) skipped", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const row = await db().contactImport.create({
      data: {
        userId: rep.id, format: "csv", onDuplicate: "merge", mapping: ["fullName", "email", "tags"] as never,
        content: `Name,Email,Tags\nTwin ${u},twin.${u}@example.com,"${tags("a", 20).join(",")}"\nTwin ${u},twin.${u}@example.com,"${tags("b", 20).join(",")}"\n`,
      },
    });
    await runImport(db(), row.id);
    const r = await callerFor(rep).imports.get({ id: row.id });
    expect(r).toMatchObject({ created: 1, merged: 0, skipped: 1 });
    expect(r.report).toEqual([{ row: 3, kind: "skipped", reason: expect.stringMatching(/^duplicate of an earlier row of this file, not merged: together they have 40 tags/) }]);
    const [twin] = await imported(row.id);
    expect(twin.tags).toEqual(tags("a", 20));
  });
});

describe("an address exported in parts", () => {
  const fold = (h: string) => h.toLowerCase().replace(/[_\-.]+/g, " ").replace(/\s+/g, " ").trim();

  it("maps HubSpot's export columns: address parts, Mobile Phone Number, Website URL", () => {
    const headers = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Company Name", "Job Title", "Website URL", "Street Address", "City", "State/Region", "Postal Code", "Country/Region", "IP Country", "Lead Status"];
    expect(autoMapping(headers, false)).toEqual([
      "ignore", "firstName", "lastName", "email", "phone", "mobilePhone", "company", "title", "website",
      "address", "address", "address", "address", "address", "ignore", "ignore",
    ]);
  });

  it("maps Salesforce, Outlook and Google Contacts spellings, one address group only", () => {
    expect(autoMapping(["Full Name", "Mailing Street", "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code", "Mailing Country", "Other Street", "Other City"], false))
      .toEqual(["fullName", "address", "address", "address", "address", "address", "ignore", "ignore"]);
    expect(autoMapping(["First Name", "Business Street", "Business Street 2", "Business City", "Business State", "Business Postal Code", "Business Country/Region", "Home Street", "Home City", "Home Phone", "Business Phone"], false))
      .toEqual(["firstName", "address", "address", "address", "address", "address", "address", "ignore", "ignore", "phone", "workPhone"]);
    // Google: the formatted address is the whole address; its parts would repeat it.
    expect(autoMapping(["Name", "Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City", "Address 1 - Region", "Address 1 - Country", "Address 2 - Formatted"], false))
      .toEqual(["fullName", "ignore", "address", "ignore", "ignore", "ignore", "ignore", "ignore"]);
    expect(autoMapping(["Name", "Address 1 - Street", "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country"], false))
      .toEqual(["fullName", "address", "address", "address", "address", "address", "address"]);
    expect(autoMapping(["Name", "Address Line 1", "Address Line 2", "Town", "ZIP", "Country", "Region", "Country Code"], false))
      .toEqual(["fullName", "address", "address", "address", "address", "address", "ignore", "ignore"]);
    // Not address parts: a sales region, an e-mail or web "address".
    for (const h of ["Region", "Email Address", "E-mail Address", "Web Address", "IP Address", "Country Code", "Line 1"]) expect(addressColumn(fold(h))).toBeNull();
  });

  it("joins six address columns in column order with ', ', leaving out empty cells; a single column is kept as is", () => {
    const csv = `Name,Street,Line 2,City,State,Zip,Country\nAnn,1 Main St,,Springfield, ,62704,USA\nBob,,,,,,\nCid,,,,,,France\n`;
    const mapping = ["fullName", "address", "address", "address", "address", "address", "address"] as const;
    const rows = readRows(csv, "csv", [...mapping]);
    expect(rows.map((r) => r.values?.address)).toEqual(["1 Main St, Springfield, 62704, USA", undefined, "France"]);
    expect(rowToContact(rows[1].values!)).toMatchObject({ ok: true, contact: { fields: { fullName: "Bob" } } });
  });

  it("reads a national-format phone in the country of the row's address", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const csv = [
      "First Name,Last Name,Phone Number,Street Address,City,State/Region,Postal Code,Country/Region",
      `An,Nguyen ${u},0912 345 678,12 Lê Lợi,Hanoi,,100000,Vietnam`,
      `Bao,Tran ${u},0912 345 678,,,,,Viet Nam`,
      `Cat,Smith ${u},020 7946 0958,1 High St,Reading,,RG1 1AA,United Kingdom`,
      `Dan,Jones ${u},020 7946 0958,,,,,UK`,
      `Eve,Brown ${u},0491 570 156,,,,,Australia`,
      `Fay,Martin ${u},01 99 00 91 29,,,,,France`,
      `Gus,Nocountry ${u},0912 345 678,,,,,`,
    ].join("\n");
    const r = await importNow(rep, csv, "create");
    expect(r).toMatchObject({ created: 6, invalid: 1 });
    expect(r.report).toEqual([{ row: 8, kind: "invalid", reason: expect.stringMatching(/invalid phone "0912 345 678": Not a valid number in United States/) }]);
    const byName = Object.fromEntries((await imported(r.id)).map((c) => [c.fullName.split(" ")[0], [c.phone, c.address]]));
    expect(byName).toEqual({
      An: ["+84912345678", "12 Lê Lợi, Hanoi, 100000, Vietnam"],
      Bao: ["+84912345678", "Viet Nam"],
      Cat: ["+442079460958", "1 High St, Reading, RG1 1AA, United Kingdom"],
      Dan: ["+442079460958", "UK"],
      Eve: ["+61491570156", "Australia"],
      Fay: ["+33199009129", "France"],
    });
  });
});

describe("a CSV export imports back", () => {
  it("takes off exactly one apostrophe before = + - @ TAB CR, in every text field", () => {
    expect(["'", "'=", "''=x", "'-Minus Person", "'@Home", "'+84 912", "'\t=x", "'Tis", "O'Neil", "=raw", "'x'"].map(unneutralizeCell))
      .toEqual(["'", "=", "''=x", "-Minus Person", "@Home", "+84 912", "\t=x", "'Tis", "O'Neil", "=raw", "'x'"]);
    const csv = `Name,Title,Company,Notes,Address,Tags,Phone\n"'-Minus Person","'=1+1","'@Home","'+note","'-1 Main St","'-vip, '@x",'+1 415 555 0100\n"'",'-,,,,,\n"'=",,,,,,\n`;
    const rows = readRows(csv, "csv", ["fullName", "title", "company", "notes", "address", "tags", "phone"]);
    expect(rows.map((r) => r.values)).toEqual([
      { fullName: "-Minus Person", title: "=1+1", company: "@Home", notes: "+note", address: "-1 Main St", tags: "-vip, '@x", phone: "+1 415 555 0100" },
      { fullName: "'", title: "-" },
      { fullName: "=" },
    ]);
  });

  it("contacts exported to CSV (apostrophes, tags) import back with the same values", async () => {
    const rep = await makeUser("REP");
    const u = uniq();
    const api = callerFor(rep).contacts;
    await api.create({ fullName: `-Minus Person ${u}`, company: `@Home ${u}`, title: "=SUM(A1)", notes: "+1 is a note", address: "-1 Basement", tags: ["-dash", "@at", "vip"] });
    await api.create({ fullName: `+Plus ${u}`, company: `@Home ${u}`, tags: ["emea, q3", "a;b|c"] });
    const exported = await readAll(exportContacts(db(), exportQuery.parse({ format: "csv", search: `home ${u}` })).body);
    expect(exported).toContain(`'-Minus Person ${u}`);
    // Another rep imports it: nothing is a duplicate of their own contacts.
    const other = await makeUser("REP");
    const r = await importNow(other, exported.replace(/^\uFEFF/, ""), "create");
    expect(r).toMatchObject({ created: 2, invalid: 0 });
    const back = await imported(r.id);
    expect(back.map((c) => [c.fullName, c.company, c.title, c.notes, c.address, c.tags])).toEqual([
      [`+Plus ${u}`, `@Home ${u}`, null, null, null, ["emea", "q3", "a", "b", "c"]],
      [`-Minus Person ${u}`, `@Home ${u}`, "=SUM(A1)", "+1 is a note", "-1 Basement", ["-dash", "@at", "vip"]],
    ]);
  });
});

describe("tag separators", () => {
  it("normalizeTags splits at , ; | so no stored tag contains one (the API path as the tag box and the import)", async () => {
    expect(normalizeTags(["emea, q3", "A;b|c", " VIP ", ",,", "x,X"])).toEqual(["emea", "q3", "a", "b", "c", "vip", "x"]);
    const rep = await makeUser("REP");
    const c = await callerFor(rep).contacts.create({ fullName: `Tags ${uniq()}`, tags: ["emea, q3", "A;B"] });
    expect(c.tags).toEqual(["emea", "q3", "a", "b"]);
    const updated = await callerFor(rep).contacts.update({ id: c.id, tags: ["one|two"] });
    expect(updated.tags).toEqual(["one", "two"]);
  });
});
