// Where the browser may go after sign-in: only a path on this same site. Pure (no next/*), so
// the login page (server) and the login form (browser) apply the same rule.
//
// Why not just "starts with / and not //": browsers read "\" as "/" and silently drop TAB, CR
// and LF inside a URL, so "/\evil.example" and "/<TAB>/evil.example" both become
// "//evil.example", another site. Those characters are refused before parsing, and the value
// must then resolve against a placeholder origin without leaving it.

const BASE = new URL("http://x.invalid");
const MAX_LENGTH = 2048;

/** `value` when it is a same-origin relative path ("/contacts?tag=vip"), otherwise "/". */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return "/";
  // Backslashes, and C0 controls and DEL (TAB, CR and LF are the ones browsers strip).
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001F\u007F]/.test(value)) return "/";
  // Path-absolute only: not "//host", not "https:…", not "javascript:…", not "contacts" (relative to /login).
  if (!value.startsWith("/") || value.startsWith("//")) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE.origin) return "/";
  // The value as given (the browser resolves it the same way), never the normalized path:
  // "/a/..//evil.example" normalizes to "//evil.example", which would be another site.
  return value;
}
