import { describe, expect, it } from "vitest";
import { scanSummary } from "./scan-summary";

const none = { fullName: null, company: null, email: null, phone: null };

describe("scanSummary: whose card a finished scan was, in one line", () => {
  it("is name · company, or the name alone", () => {
    expect(scanSummary({ ...none, fullName: "Jane Cooper", company: "Northwind Ltd", email: "jane@northwind.example" })).toBe("Jane Cooper · Northwind Ltd");
    expect(scanSummary({ ...none, fullName: "Jane Cooper", email: "jane@northwind.example" })).toBe("Jane Cooper");
  });

  it("without a name: the company with the email, else the phone; or either alone", () => {
    expect(scanSummary({ ...none, company: "Northwind Ltd", email: "sales@northwind.example", phone: "+442079460123" })).toBe("Northwind Ltd · sales@northwind.example");
    expect(scanSummary({ ...none, company: "Northwind Ltd", phone: "+442079460123" })).toBe("Northwind Ltd · +44 20 7946 0123");
    expect(scanSummary({ ...none, email: "jane@northwind.example" })).toBe("jane@northwind.example");
    expect(scanSummary({ ...none, phone: "+442079460123" })).toBe("+44 20 7946 0123");
  });

  it("shows a phone the way the pages do, its extension as 'ext.', not the stored ';ext='", () => {
    expect(scanSummary({ ...none, phone: "+12125550100;ext=204" })).toBe("+1 212 555 0100 ext. 204");
    expect(scanSummary({ ...none, company: "Northwind Ltd", phone: "+12125550100;ext=204" })).toBe("Northwind Ltd · +1 212 555 0100 ext. 204");
    // What libphonenumber cannot read stays as it is.
    expect(scanSummary({ ...none, phone: "  12345 " })).toBe("12345");
  });

  it("is null when OCR found none of them, blanks and whitespace included", () => {
    expect(scanSummary(none)).toBeNull();
    expect(scanSummary({ fullName: "  ", company: "\n\t", email: "", phone: null })).toBeNull();
  });

  it("collapses OCR's line breaks and runs of spaces, and cuts very long text at 120 characters", () => {
    expect(scanSummary({ ...none, fullName: "Jane\n  Cooper", company: "North   wind" })).toBe("Jane Cooper · North wind");
    const long = scanSummary({ ...none, fullName: "A".repeat(300) })!;
    expect(long).toHaveLength(120);
    expect(long.endsWith("…")).toBe(true);
  });

  it("keeps markup as plain text (the page renders it as text)", () => {
    expect(scanSummary({ ...none, fullName: "<img src=x onerror=alert(1)>" })).toBe("<img src=x onerror=alert(1)>");
  });
});
