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
    expect(scanSummary({ ...none, company: "Northwind Ltd", phone: "+442079460123" })).toBe("Northwind Ltd · +442079460123");
    expect(scanSummary({ ...none, email: "jane@northwind.example" })).toBe("jane@northwind.example");
    expect(scanSummary({ ...none, phone: "+442079460123" })).toBe("+442079460123");
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
