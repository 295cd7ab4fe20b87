import { describe, expect, it } from "vitest";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { US_AREA_CODES, randomUsDigits } from "./us-phone";

describe("random US numbers for tests", () => {
  it("every area code in the list gives a valid US number typed nationally, at any line number", () => {
    for (const area of US_AREA_CODES) {
      for (const line of ["0000", "0100", "2668", "9999"]) {
        const p = parsePhoneNumberFromString(`(${area}) 555-${line}`, "US");
        expect(p?.isValid() && p.country, `${area} 555 ${line}`).toBe("US");
      }
    }
  });

  it("randomUsDigits picks from the list", () => {
    for (let i = 0; i < 200; i++) expect(US_AREA_CODES).toContain(randomUsDigits().area);
  });
});
