// Contact phones typed without a country code are read in the contact's own country (its
// e-mail/website ccTLD, its address), and must be valid there; otherwise 422 naming the phone
// (QA review, P1). The same rule serves the API and CSV imports.
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser } from "../testing/fixtures";
import { normalizeContactFields, normalizePhone } from "./normalize";
import { rowToContact } from "../imports/read-rows";
import { telHref } from "./contact-links";

describe("normalizeContactFields: the contact's own data decides the country", () => {
  it.each([
    ["AU mobile, e-mail .com.au", { email: "daniel@bluequill.com.au", phone: "0491 570 231" }, "+61491570231"],
    ["AU landline, address in Australia", { address: "12 Harbour St\nSydney NSW 2000\nAustralia", phone: "(07) 5550 8001" }, "+61755508001"],
    ["VN mobile, website .vn", { website: "https://saomai.vn", phone: "0912 345 678" }, "+84912345678"],
    ["FR landline, e-mail .fr", { email: "lea@roseval-conseil.fr", phone: "01 99 00 91 29" }, "+33199009129"],
    ["US number, no hint", { phone: "(415) 555-0172" }, "+14155550172"],
    ["international number, no hint", { phone: "+61 491 570 231" }, "+61491570231"],
    ["00 prefix", { phone: "0033 1 99 00 91 29" }, "+33199009129"],
  ])("%s", (_why, input, e164) => {
    const { fields, errors } = normalizeContactFields({ fullName: "Pat Example", ...input }, { requireName: true });
    expect(errors).toEqual({});
    expect(fields.phone).toBe(e164);
  });

  it.each([["0491 570 231"], ["(07) 5550 8001"], ["0912 345 678"], ["01 99 00 91 29"]])("'%s' with no hint of the country is refused, not stored as +1 0…", (phone) => {
    const { fields, errors } = normalizeContactFields({ fullName: "No Hint", email: "x@gmail.com", phone }, { requireName: true });
    expect(fields.phone).toBeUndefined();
    expect(errors.phone).toMatch(/^invalid phone ".*": Not a valid number in United States; type it with its country code/);
  });

  it("on an update, the stored e-mail/website/address count; the edit's own values win", () => {
    const existing = { email: "daniel@bluequill.com.au", website: null, address: null };
    expect(normalizeContactFields({ phone: "0491 570 231" }, { requireName: false, existing }).fields.phone).toBe("+61491570231");
    // The e-mail changed in the same edit to a French one: the number is read as French.
    expect(normalizeContactFields({ email: "d@roseval.fr", phone: "01 99 00 91 29" }, { requireName: false, existing }).fields.phone).toBe("+33199009129");
    // Clearing the e-mail in the same edit removes that evidence.
    expect(normalizeContactFields({ email: null, phone: "0491 570 231" }, { requireName: false, existing }).errors.phone).toMatch(/invalid phone/);
  });

  it("normalizePhone keeps its old call shapes (one region, or the default)", () => {
    expect(normalizePhone("0491 570 231", "AU")).toEqual({ ok: true, value: "+61491570231" });
    expect(normalizePhone("0491 570 231", ["FR", "AU"])).toEqual({ ok: true, value: "+33491570231" });
    expect(normalizePhone("0491 570 231").ok).toBe(false);
    expect(normalizePhone("+1 555 0100 123")).toEqual({ ok: true, value: "+15550100123" });
  });

  it.each([["1".repeat(40)], ["🚀".repeat(5)], ["x".repeat(10_000)], ["<script>"], [""]])("worst input %#: refused without throwing", (phone) => {
    expect(normalizePhone(phone).ok).toBe(false);
  });

  it("worst inputs in the hints: 10,000-character address and emoji e-mail do not throw", () => {
    const r = normalizeContactFields({ fullName: "X", email: "🚀@🚀.au", address: `${"Sydney NSW 2000 ".repeat(700)}`, phone: "0491 570 231" }, { requireName: true });
    // The address is too long for the field, the e-mail invalid; the phone is still read from the address's country.
    expect(Object.keys(r.errors).sort()).toEqual(["address", "email"]);
    expect(r.fields.phone).toBe("+61491570231");
  });
});

describe("through the API and imports", () => {
  it("contacts.create and contacts.update read a national number in the contact's country; Call dials it", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep);
    const c = await api.contacts.create({ fullName: "Daniel McKenzie", email: "daniel@bluequill.com.au", phone: "0491 570 231" });
    expect(c.phone).toBe("+61491570231");
    expect(telHref(c.phone)).toBe("tel:+61491570231");
    const u = await api.contacts.update({ id: c.id, phone: "(07) 5550 8001" });
    expect(u.phone).toBe("+61755508001");
    await db().contact.delete({ where: { id: c.id } });
  });

  it("contacts.update without a hint answers 422 naming the phone, and keeps the stored number", async () => {
    const rep = await makeUser("REP");
    const api = callerFor(rep);
    const c = await api.contacts.create({ fullName: "No Hint", email: "nohint@gmail.com", phone: "+14155550172" });
    await expect(api.contacts.update({ id: c.id, phone: "0491 570 231" })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("invalid phone") });
    expect((await db().contact.findUniqueOrThrow({ where: { id: c.id } })).phone).toBe("+14155550172");
    await db().contact.delete({ where: { id: c.id } });
  });

  it("an imported row is read in its own country, or rejected with the reason", () => {
    const ok = rowToContact({ fullName: "Lea Dubois", email: "lea@roseval-conseil.fr", phone: "01 99 00 91 29" });
    expect(ok.ok && ok.contact.fields.phone).toBe("+33199009129");
    const bad = rowToContact({ fullName: "Lea Dubois", email: "lea@gmail.com", phone: "01 99 00 91 29" });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/invalid phone/);
  });
});
