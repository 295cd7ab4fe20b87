// Our contact → HubSpot contact properties.
import { splitPersonName } from "../contacts/name-order";
import { readOtherPhones } from "../contacts/other-phones";
import { phoneAsText } from "../contacts/contact-links";

/** Splits a full name into HubSpot's firstname/lastname with the same family-name rules as the vCard export
 *  (server/contacts/name-order.ts): Vietnamese, Chinese/Japanese/Korean and Hungarian names put the family name
 *  first ("Nguyễn Thị Minh Anh" → lastname Nguyễn, "山田 太郎" → lastname 山田, "Nagy János" → lastname Nagy); any
 *  other name keeps the Western reading (last word). One rule set, so the CRM and the address book agree. */
export function splitName(fullName: string): { firstname: string; lastname: string } {
  const { family, given } = splitPersonName(fullName);
  return { firstname: given, lastname: family };
}

export interface MappableContact {
  fullName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  website: string | null;
  address: string | null;
  /** Contact."otherPhones" as stored; optional so callers that never read it still map. */
  otherPhones?: unknown;
}

/** Only the fields the contact has: an empty field is left out, never sent as "" (see hubspot-push.ts). */
export function toHubspotProperties(c: MappableContact): Record<string, string> {
  const { firstname, lastname } = splitName(c.fullName);
  const props: Record<string, string> = { firstname, lastname };
  const set = (k: string, v: string | null) => {
    if (v) props[k] = v;
  };
  set("email", c.email);
  // "+12125550100 ext. 204": HubSpot reads "ext." as the extension (our stored ";ext=" it would keep as text).
  set("phone", c.phone && phoneAsText(c.phone));
  set("company", c.company);
  set("jobtitle", c.title);
  set("website", c.website);
  set("address", c.address);
  // HubSpot has one property per kind of number: the first mobile and the first fax go there. Its other kinds
  // have no default property, so work/home/other numbers stay here (HubSpot's "phone" is our `phone`).
  const others = readOtherPhones(c.otherPhones);
  const firstOf = (type: string) => {
    const p = others.find((o) => o.type === type);
    return p ? phoneAsText(p.e164) : null;
  };
  set("mobilephone", firstOf("mobile"));
  set("fax", firstOf("fax"));
  return props;
}
