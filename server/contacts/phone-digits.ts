// The digits a stored phone is compared and searched by, the same as the database's f_phone_digits (migration
// 20261210000000_phone_extension_digits), which the generated columns "phoneDigits" (duplicates, the team's
// calling codes) and "searchText" (the search box, other numbers included) are made of. Code that compares a
// number with those columns computes its side here, so both always agree. Pure: the browser may import it.
//
// A number without an extension is its digits: "+12125550100" → "12125550100". With an extension (stored as
// RFC 3966's ";ext=", see phoneToStore) the extension's digits follow an "x": "+12125550100;ext=204" →
// "12125550100x204". Before, they ran on ("12125550100204"), so "+4930123456;ext=7890" and the different number
// "+49301234567890" had the same digits and looked like duplicates. The "x" keeps "starts with the number's
// digits" true for every extension of a number (the search box's rule), and is not a digit, so a digit search
// never runs across it.

/** Between a number's digits and its extension's, in the stored keys ("12125550100x204"). */
export const EXTENSION_MARK = "x";

/**
 * "+12125550100;ext=204" → "12125550100x204"; "+12125550100" → "12125550100". Only the stored ";ext=" (any case,
 * the first one) marks an extension, as in SQL; anything else keeps all its digits. "" when there are none.
 */
export function phoneDigitsOf(phone: string | null | undefined): string {
  const s = phone ?? "";
  const at = s.search(/;ext=/i);
  const number = (at < 0 ? s : s.slice(0, at)).replace(/\D/g, "");
  const ext = at < 0 ? "" : s.slice(at + 5).replace(/\D/g, "");
  return ext ? `${number}${EXTENSION_MARK}${ext}` : number;
}

/** The key of a number and an extension given apart ("12125550100", "204" → "12125550100x204"). */
export function withExtensionDigits(numberDigits: string, ext: string | null | undefined): string {
  const e = (ext ?? "").replace(/\D/g, "");
  return e ? `${numberDigits}${EXTENSION_MARK}${e}` : numberDigits;
}
