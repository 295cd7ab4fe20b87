// Rewrites the generated access tables inside docs/security.md.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderSecurityTables } from "../server/security/render-security-doc";

const file = path.resolve(__dirname, "../docs/security.md");
const doc = readFileSync(file, "utf8");
const start = doc.indexOf("<!-- access-table:start");
const end = doc.indexOf("<!-- access-table:end -->");
if (start < 0 || end < 0) throw new Error("docs/security.md has no access-table markers");
writeFileSync(file, doc.slice(0, start) + renderSecurityTables() + doc.slice(end + "<!-- access-table:end -->".length));
console.log("docs/security.md updated");
