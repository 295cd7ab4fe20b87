// The after-sign-in target: only same-site paths survive; everything a browser could resolve
// to another origin falls back to "/".
import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

describe("safeCallbackPath", () => {
  it.each([
    // the review's finding: "\" is read as "/", TAB/CR/LF are dropped by the browser
    ["/\\evil.example/x"],
    ["\\/evil.example"],
    ["/\\/evil.example"],
    ["/\t/evil.example"],
    ["/\t/evil"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    ["/\u0000/evil.example"],
    ["/\u007F/evil.example"],
    // protocol-relative and absolute URLs
    ["//evil.example"],
    ["//evil.example/x"],
    ["///evil.example"],
    ["https://evil.example"],
    ["http://evil.example/"],
    ["HTTPS://evil.example"],
    ["http:evil.example"],
    // scripts and other schemes
    ["javascript:alert(1)"],
    ["JavaScript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["vbscript:msgbox(1)"],
    // not path-absolute, or empty/odd types
    ["evil.example"],
    ["contacts"],
    [""],
    [" /contacts"],
    [undefined],
    [null],
    [42],
    [["/contacts"]],
    ["/" + "a".repeat(5000)],
  ])("%j → /", (value) => {
    expect(safeCallbackPath(value)).toBe("/");
  });

  it.each([
    ["/"],
    ["/contacts"],
    ["/contacts?tag=vip&sort=name"],
    ["/drafts/1f0c-aa#fields"],
    // percent-encoded TAB or backslash stay in the path: the browser does not decode them into a host
    ["/%09/evil.example"],
    ["/%5Cevil.example"],
    // dot segments that normalize to "//…" are still same-origin as written
    ["/a/..//evil.example"],
    ["/contacts?next=//evil.example"],
  ])("%j is kept", (value) => {
    expect(safeCallbackPath(value)).toBe(value);
  });

  it("whatever it returns resolves to the site's own origin", () => {
    const site = "http://localhost:3100";
    for (const v of ["/\\evil.example/x", "/%09/evil.example", "/a/..//evil.example", "/\t/evil", "//evil.example", "/contacts"]) {
      expect(new URL(safeCallbackPath(v), site).origin).toBe(site);
    }
  });
});
