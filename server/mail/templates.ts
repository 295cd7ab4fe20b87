// Campaign templates: handlebars with HTML escaping by default, a fixed set of merge
// tags, syntax errors and constructs that cannot render (helpers, partials…) refused with
// their line, unknown merge tags reported as warnings, and <script> refused
// (docs/campaigns.md explains why refuse rather than strip).
import { createHash } from "node:crypto";
import Handlebars from "handlebars";
import { AppError } from "../errors";
import { splitPersonName } from "../contacts/name-order";

export const MERGE_TAGS = ["firstName", "lastName", "fullName", "company", "title", "email", "unsubscribeUrl"] as const;
export type MergeTag = (typeof MERGE_TAGS)[number];
export type MergeData = Record<MergeTag, string>;
const KNOWN = new Set<string>(MERGE_TAGS);
const BLOCK_HELPERS = new Set(["if", "unless"]);

export type TemplateField = "subject" | "html" | "text";
export interface TemplateSource { subject: string; html: string; text: string }
export interface TemplateWarning { field: TemplateField; line: number; tag: string; message: string }

// An isolated environment: only if/unless exist as helpers (no `log`, no `lookup`).
const hb = Handlebars.create();
for (const name of Object.keys(hb.helpers)) if (!BLOCK_HELPERS.has(name)) hb.unregisterHelper(name);

type Node = { type: string; loc?: { start: { line: number } }; [k: string]: unknown };

function syntaxError(field: TemplateField, err: unknown): AppError {
  const msg = err instanceof Error ? err.message : String(err);
  const line = Number(/on line (\d+)/.exec(msg)?.[1] ?? /- (\d+):\d+/.exec(msg)?.[1] ?? (err as { lineNumber?: number }).lineNumber ?? 1);
  const first = msg.split("\n").pop() ?? msg;
  return new AppError("VALIDATION", `The ${field} has a template syntax error on line ${line}: ${first.replace(/^Expecting .*got /, "unexpected ")}`, {
    details: { field, line, error: msg },
  });
}

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split("\n").length;
}

const SUPPORTED = "only {{#if …}} and {{#unless …}} blocks are supported";

/**
 * A construct that can never render here (a helper, partial or decorator this isolated
 * environment does not have): a 422 at save, preview, test send and launch alike, with one
 * message naming it. Without this check, Handlebars only failed when rendering, with "Cannot
 * read properties of undefined (reading 'call')", which the preview and the test send showed
 * as a "syntax error" while save accepted the template.
 */
function unsupported(field: TemplateField, node: Node, tag: string, message: string): AppError {
  const line = node.loc?.start.line ?? 1;
  return new AppError("VALIDATION", `The ${field} ${message.replace("{line}", `on line ${line}`)}`, { details: { field, line, tag } });
}

interface Analysed { ast: Node; warnings: TemplateWarning[] }

// Handlebars' parser takes time that grows much faster than the nesting depth (a 132 KB template of nested
// {{#if}} held a web core for 18 s, a 440 KB one for more than 9 minutes) and a compiled template holds memory per
// mustache (500 KB of merge tags: about 1 GB while compiling). Both are bounded before anything is parsed, far
// above what an email needs (hostile review).
export const MAX_TEMPLATE_DEPTH = 50;
export const MAX_TEMPLATE_TAGS = 5_000;

const HANDLEBARS_COMMENT = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g;
/** `text` as spaces, its line breaks kept: what it covered no longer counts, and lines still number the same. */
const blankKeepingLines = (text: string) => text.replace(/[^\n]/g, " ");

function assertSimpleEnough(field: TemplateField, source: string): void {
  let depth = 0;
  let tags = 0;
  // Comments are not parsed as blocks, "\{{" is literal text, and a bare {{^}} is an {{else}}: none of them opens a block.
  const counted = source.replace(HANDLEBARS_COMMENT, blankKeepingLines);
  for (const m of counted.matchAll(/(?<!\\)\{\{~?\s*([#^/]?)(\s*~?\}\})?/g)) {
    if (++tags > MAX_TEMPLATE_TAGS) {
      throw new AppError("VALIDATION", `The ${field} has more than ${MAX_TEMPLATE_TAGS.toLocaleString("en-US")} {{…}} tags: an email needs far fewer.`, { details: { field, line: lineOf(source, m.index ?? 0) } });
    }
    const elseTag = m[1] === "^" && m[2] !== undefined;
    if ((m[1] === "#" || m[1] === "^") && !elseTag) depth++;
    else if (m[1] === "/") depth = Math.max(0, depth - 1);
    if (depth > MAX_TEMPLATE_DEPTH) {
      throw new AppError("VALIDATION", `The ${field} nests {{#if}}/{{#unless}} blocks more than ${MAX_TEMPLATE_DEPTH} deep (line ${lineOf(source, m.index ?? 0)}): flatten it.`, { details: { field, line: lineOf(source, m.index ?? 0) } });
    }
  }
}

/** The HTML without what a mail client never renders or runs: Handlebars comments (they join what they split:
 *  "<scr{{!-- --}}ipt>" renders "<script>") and HTML comments (blanked, so lines hold). */
function withoutComments(source: string): string {
  return source.replace(HANDLEBARS_COMMENT, "").replace(/<!--[\s\S]*?-->/g, blankKeepingLines);
}

/** An attribute value as a browser reads it as an address: character references decoded, controls and white space
 *  dropped ("jav&#x61;script:", "java\tscript:"), lower case. */
function addressAsRead(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => String.fromCodePoint(Math.min(0x10ffff, parseInt(hex, 16))))
    .replace(/&#(\d+);?/g, (_m, dec: string) => String.fromCodePoint(Math.min(0x10ffff, Number(dec))))
    .replace(/&colon;/gi, ":")
    .replace(/&tab;|&newline;/gi, "")
    .replace(/[\u0000-\u0020]+/g, "")
    .toLowerCase();
}

/**
 * <script>, event-handler attributes, script addresses, and a merge value opening a link or image address. Read in
 * real start tags only (a tag name right after "<"), comments aside, so newsletter text ("Java Script: a course",
 * "online=only" after a "<" in text) and comments pass; address attributes are read as a browser reads them.
 */
function assertSafeHtml(source: string): void {
  const field = "html";
  const refuse = (index: number, what: string) => {
    const line = lineOf(source, index);
    throw new AppError("VALIDATION", `The HTML contains ${what} on line ${line}: remove it.`, { details: { field, line } });
  };
  const html = withoutComments(source);
  const script = /<\s*script\b/i.exec(html);
  if (script) {
    const line = lineOf(html, script.index);
    throw new AppError("VALIDATION", `The HTML contains a <script> tag on line ${line}. Email clients never run scripts and spam filters penalise them: remove it.`, { details: { field, line } });
  }
  // A start tag up to its ">", a ">" inside a quoted value included.
  for (const tag of html.matchAll(/<[a-z][a-z0-9-]*(?:\s|\/)(?:"[^"]*"|'[^']*'|[^>"'])*>?/gi)) {
    const at = tag.index ?? 0;
    const text = tag[0];
    // An attribute named on…: after white space or a quote, or right after the tag name ("<img/onerror="); quoted
    // values are set aside first ("https://x.example/online=1" is an address, not an attribute).
    if (/[\s"'/]on[a-z]+\s*=/i.test(text.replace(/"[^"]*"|'[^']*'/g, '""'))) refuse(at, "an event-handler attribute (onclick=, onerror=, …)");
    for (const attr of text.matchAll(/(?<![\w-])(href|src|action|formaction|xlink:href|background)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))/gi)) {
      const raw = attr[2] ?? attr[3] ?? attr[4] ?? "";
      // A contact's field comes from OCR of someone else's card or a CSV: as the start of an address it could be
      // "javascript:…". Only the unsubscribe link, which the server builds, may start one.
      if (/^\s*\{\{(?!\s*unsubscribeUrl\s*\}\})/.test(raw)) refuse(at, "a link or image address that starts with a merge tag (only {{unsubscribeUrl}} may start one; write the address and put tags after it)");
      const address = addressAsRead(raw);
      if (/^(?:javascript|vbscript):/.test(address)) refuse(at, `a ${address.startsWith("vb") ? "vbscript" : "javascript"}: link`);
      // An image may be inline (a logo as data:image/png or svg+xml); a link to a data: page may not.
      if (address.startsWith("data:") && !(attr[1].toLowerCase() !== "href" && address.startsWith("data:image/"))) refuse(at, "a data: address that is not an image");
    }
  }
}

/**
 * Parses one template and checks it. Errors (422, naming the part and the line): syntax errors,
 * <script>, javascript: links, triple braces in HTML, and constructs that cannot render (unknown
 * helpers or blocks, partials, decorators, sub-expressions, #if without exactly one argument).
 * Warnings: unknown merge tags, which render empty (the preview shows them; launch refuses them).
 */
function analyse(field: TemplateField, source: string, opts: { launched?: boolean } = {}): Analysed {
  // The size and HTML gates apply where a template is written, previewed, test-sent and launched. A campaign already
  // launched is sent as it was approved: rules added since must not make every batch of a campaign under way fail.
  if (!opts.launched) {
    assertSimpleEnough(field, source);
    if (field === "html") assertSafeHtml(source);
  }
  let ast: Node;
  try {
    ast = hb.parse(source) as unknown as Node;
  } catch (err) {
    if (err instanceof RangeError) {
      throw new AppError("VALIDATION", `The ${field} is too complex to read (nested too deeply): simplify it.`, { details: { field, line: 1 } });
    }
    throw syntaxError(field, err);
  }
  const warnings: TemplateWarning[] = [];
  const lineOfNode = (node: Node) => node.loc?.start.line ?? 1;
  const warn = (node: Node, tag: string, message: string) => warnings.push({ field, line: lineOfNode(node), tag, message });
  const unknownTag = (node: Node, tag: string) =>
    warn(node, tag, `Unknown merge tag {{${tag}}} on line ${lineOfNode(node)}; it will render empty. Known tags: ${MERGE_TAGS.join(", ")}.`);
  /** A value inside {{…}} or a block's argument: a merge tag (known or not), a literal, or a refused sub-expression. */
  const checkValue = (node: Node, p: Node | undefined) => {
    if (!p) return;
    if (p.type === "PathExpression") {
      const name = String(p.original);
      if (!KNOWN.has(name)) unknownTag(node, name);
    } else if (p.type === "SubExpression") {
      const name = String((p.path as Node | undefined)?.original ?? "…");
      throw unsupported(field, node, `(${name})`, `uses a sub-expression (${name} …) {line}: sub-expressions are not supported; ${SUPPORTED}.`);
    }
  };
  const checkParams = (node: Node) => {
    for (const p of (node.params as Node[]) ?? []) checkValue(node, p);
    for (const pair of ((node.hash as Node | undefined)?.pairs as Node[]) ?? []) checkValue(node, pair.value as Node);
  };
  const walk = (n: Node | undefined | null) => {
    if (!n) return;
    switch (n.type) {
      case "Program":
        for (const s of n.body as Node[]) walk(s);
        break;
      case "MustacheStatement": {
        const path = n.path as Node;
        const name = String(path.original);
        const params = (n.params as Node[]) ?? [];
        if (BLOCK_HELPERS.has(name)) throw unsupported(field, n, name, `uses {{${name}}} as a plain tag {line}: it must open a block, e.g. {{#${name} company}}…{{/${name}}}.`);
        if (params.length || n.hash) throw unsupported(field, n, name, `uses an unknown helper {{${name} …}} {line}: ${SUPPORTED}; a merge tag takes no arguments.`);
        if (field === "html" && n.escaped === false) {
          throw new AppError("VALIDATION", `Triple braces {{{…}}} on line ${lineOfNode(n)} turn off HTML escaping: use {{…}}.`, { details: { field, line: lineOfNode(n) } });
        }
        if (path.type === "PathExpression") checkValue(n, path);
        else unknownTag(n, String(path.original)); // {{"text"}}, {{1}}: not a merge tag, renders empty
        break;
      }
      case "BlockStatement": {
        const name = String((n.path as Node).original);
        const inverted = !n.program; // {{^name}}…{{/name}}
        if (!BLOCK_HELPERS.has(name)) {
          if ((n.path as Node).type === "PathExpression" && KNOWN.has(name)) {
            const use = inverted ? "unless" : "if";
            throw unsupported(field, n, `${inverted ? "^" : "#"}${name}`, `opens a block with a merge tag, {{${inverted ? "^" : "#"}${name}}}, {line}: use {{#${use} ${name}}}…{{/${use}}}.`);
          }
          throw unsupported(field, n, `#${name}`, `uses an unknown helper {{#${name}}} {line}: ${SUPPORTED}.`);
        }
        const params = (n.params as Node[]) ?? [];
        if (params.length !== 1) throw unsupported(field, n, `#${name}`, `has {{#${name}}} with ${params.length} arguments {line}: it takes exactly one merge tag, e.g. {{#${name} company}}…{{/${name}}}.`);
        checkParams(n);
        walk(n.program as Node);
        walk(n.inverse as Node);
        break;
      }
      case "PartialStatement":
      case "PartialBlockStatement": {
        const name = String((n.name as Node | undefined)?.original ?? "");
        throw unsupported(field, n, `>${name}`, `includes a partial {{> ${name}}} {line}: partials are not supported; write that content into the template.`);
      }
      case "DecoratorBlock":
      case "Decorator": {
        const name = String((n.path as Node | undefined)?.original ?? "");
        throw unsupported(field, n, `*${name}`, `uses a decorator {{* ${name}}} {line}: decorators are not supported.`);
      }
      default:
        break;
    }
  };
  walk(ast);
  return { ast, warnings };
}

/** Parses one template; throws a 422 naming the line on a syntax error, refused content or a construct that cannot render; returns unknown merge tags as warnings. */
export function checkTemplate(field: TemplateField, source: string): TemplateWarning[] {
  return analyse(field, source).warnings;
}

/** Checks subject, HTML and text together; returns all warnings, throws on the first error. */
export function checkTemplates(src: TemplateSource): TemplateWarning[] {
  return [...checkTemplate("subject", src.subject), ...checkTemplate("html", src.html), ...checkTemplate("text", src.text)];
}

export interface CompiledTemplates {
  render(data: MergeData): { subject: string; html: string; text: string };
  /** The unknown merge tags (what checkTemplates returns), found while compiling. */
  warnings: TemplateWarning[];
}

const compiledCache = new Map<string, { compiled: CompiledTemplates; size: number }>();
let cachedSize = 0;
/** Source characters kept compiled, all entries together (a compiled template holds several times its size). */
const MAX_CACHED_SOURCE = 4_000_000;

/**
 * Compiles once per (cacheKey, content): the worker renders thousands of messages per campaign. The content (a hash
 * of subject, html and text) is part of the key, not a version stamp: the campaign's updatedAt moves on every
 * fan-out chunk, and each batch started meanwhile compiled the template again (hostile review: 8 compiles for 8
 * batches, seconds of blocked event loop and hundreds of MB for a large template). The compiled functions are run
 * once here, so the lazy compile happens now, not in the first send. Runs the same checks as checkTemplates first,
 * so the preview, the test send and the worker refuse a template with exactly the message save and launch give.
 */
export function compileTemplates(src: TemplateSource, cacheKey?: string, check: { launched?: boolean } = {}): CompiledTemplates {
  const key = cacheKey && `${cacheKey}:${check.launched ? "launched" : "checked"}:${createHash("sha256").update(`${src.subject}\u0000${src.html}\u0000${src.text}`).digest("base64url")}`;
  if (key) {
    const hit = compiledCache.get(key);
    if (hit) return hit.compiled;
  }
  const opts = { knownHelpers: { if: true, unless: true }, strict: false } as const;
  const warnings: TemplateWarning[] = [];
  const compileOne = (field: TemplateField, source: string, escape: boolean) => {
    const checked = analyse(field, source, check);
    warnings.push(...checked.warnings);
    let fn: HandlebarsTemplateDelegate;
    try {
      // The checked AST, not the source: parsed once.
      fn = hb.compile(checked.ast as unknown as hbs.AST.Program, { ...opts, noEscape: !escape });
    } catch (err) {
      throw syntaxError(field, err);
    }
    return (data: MergeData) => {
      try {
        return fn(data);
      } catch (err) {
        // Not expected after analyse(); if it happens it is not the author's syntax.
        throw new AppError("VALIDATION", `The ${field} could not be rendered: ${err instanceof Error ? err.message : String(err)}`, { details: { field } });
      }
    };
  };
  const subject = compileOne("subject", src.subject, false);
  const html = compileOne("html", src.html, true);
  const text = compileOne("text", src.text, false);
  const compiled: CompiledTemplates = {
    // Subjects are a single header line: collapse any newline a merge value brought in.
    render: (data) => ({ subject: subject(data).replace(/[\r\n]+/g, " ").trim(), html: html(data), text: text(data) }),
    warnings,
  };
  compiled.render(Object.fromEntries(MERGE_TAGS.map((t) => [t, ""])) as MergeData);
  if (key) {
    const size = src.subject.length + src.html.length + src.text.length;
    // Oldest first (a Map keeps insertion order) until the new one fits.
    for (const [k, v] of compiledCache) {
      if (cachedSize + size <= MAX_CACHED_SOURCE && compiledCache.size < 200) break;
      compiledCache.delete(k);
      cachedSize -= v.size;
    }
    compiledCache.set(key, { compiled, size });
    cachedSize += size;
  }
  return compiled;
}

export interface ContactLike { fullName?: string | null; company?: string | null; title?: string | null; email?: string | null }

export function mergeDataFor(contact: ContactLike, unsubscribeUrl: string): MergeData {
  const fullName = (contact.fullName ?? "").trim();
  // The same reading of the name as the vCard export: "Hi {{firstName}}" greets Nguyễn Văn An as
  // "Văn An", not "Nguyễn", and 山田 太郎 as 太郎. A Western name keeps its first given name only
  // ("Mary Jane Smith" → Mary); a family-first name keeps its whole given name.
  const parts = splitPersonName(fullName);
  const familyFirst = parts.family !== "" && fullName.startsWith(parts.family);
  const firstName = familyFirst ? parts.given : (parts.given.split(/\s+/)[0] ?? "");
  return {
    firstName,
    lastName: parts.family,
    fullName,
    company: contact.company ?? "",
    title: contact.title ?? "",
    email: contact.email ?? "",
    unsubscribeUrl,
  };
}
