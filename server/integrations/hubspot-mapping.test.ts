// HubSpot's firstname/lastname come from the shared name-order rules (server/contacts/name-order.ts), so a
// family-name-first name lands in lastname, as in the vCard export. Pure: no database, no HubSpot fake.
import { describe, expect, it } from "vitest";
import { splitName, toHubspotProperties } from "./hubspot-mapping";

describe("HubSpot firstname/lastname", () => {
  it.each([
    // Western: the family name is the last word.
    ["Jane van der Berg", "Jane van der", "Berg"],
    ["Madonna", "Madonna", ""],
    // Vietnamese, with tones and typed without them.
    ["Nguyễn Thị Minh Anh", "Thị Minh Anh", "Nguyễn"],
    ["Nguyen Van An", "Van An", "Nguyen"],
    // Chinese and Korean in their own script (with and without a space) and romanised as on Singapore cards.
    ["王小明", "小明", "王"],
    ["欧阳娜娜", "娜娜", "欧阳"],
    ["山田 太郎", "太郎", "山田"],
    ["김민준", "민준", "김"],
    ["Wong Zhi Hao", "Zhi Hao", "Wong"],
    // Hungarian: family name first.
    ["Nagy János", "János", "Nagy"],
    // No evidence, no reordering: these stay Western.
    ["Mai Schmidt", "Mai", "Schmidt"],
    ["Lee Chen", "Lee", "Chen"],
  ])("%s → firstname %j, lastname %j", (full, firstname, lastname) => {
    expect(splitName(full)).toEqual({ firstname, lastname });
  });

  it("the pushed properties use that split", () => {
    const props = toHubspotProperties({ fullName: "Trần Văn Bình", email: "binh@x.vn", phone: null, company: null, title: null, website: null, address: null });
    expect(props).toEqual({ firstname: "Văn Bình", lastname: "Trần", email: "binh@x.vn" });
  });

  it("the first mobile and the first fax go to mobilephone and fax; other kinds are not sent", () => {
    const otherPhones = [{ type: "work", e164: "+496990009047" }, { type: "mobile", e164: "+4915228817889" }, { type: "fax", e164: "+496990009048" }, { type: "mobile", e164: "+4915200000000" }];
    const props = toHubspotProperties({ fullName: "Ann Lee", email: null, phone: "+14155550100", company: null, title: null, website: null, address: null, otherPhones });
    expect(props).toEqual({ firstname: "Ann", lastname: "Lee", phone: "+14155550100", mobilephone: "+4915228817889", fax: "+496990009048" });
  });
});
