// Our contact → HubSpot contact properties.
const VIETNAMESE_FAMILY_NAMES = new Set(["nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô", "dương", "lý", "đinh", "trịnh", "đoàn", "lương", "mai", "cao", "tạ", "vương", "hà", "trương", "tô", "châu", "lâm", "quách"]);

/** Splits a full name. Vietnamese names are family name first (Nguyễn Thị Minh Anh →
 *  lastname Nguyễn, firstname Thị Minh Anh); otherwise the last word is the family name. */
export function splitName(fullName: string): { firstname: string; lastname: string } {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return { firstname: parts[0] ?? "", lastname: "" };
  if (VIETNAMESE_FAMILY_NAMES.has(parts[0].toLowerCase())) return { lastname: parts[0], firstname: parts.slice(1).join(" ") };
  return { firstname: parts.slice(0, -1).join(" "), lastname: parts[parts.length - 1] };
}

export interface MappableContact {
  fullName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  website: string | null;
  address: string | null;
}

export function toHubspotProperties(c: MappableContact): Record<string, string> {
  const { firstname, lastname } = splitName(c.fullName);
  const props: Record<string, string> = { firstname, lastname };
  const set = (k: string, v: string | null) => {
    if (v) props[k] = v;
  };
  set("email", c.email);
  set("phone", c.phone);
  set("company", c.company);
  set("jobtitle", c.title);
  set("website", c.website);
  set("address", c.address);
  return props;
}
