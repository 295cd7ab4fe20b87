// Campaign templates: handlebars with HTML escaping by default, a fixed set of merge
// tags, syntax errors reported with their line, unknown tags reported as warnings, and
// <script> refused (docs/campaigns.md explains why refuse rather than strip).
import Handlebars from "handlebars";
import { AppError } from "../errors";

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

/** Parses one template; throws a 422 naming the line on a syntax error or refused content. */
export function checkTemplate(field: TemplateField, source: string): TemplateWarning[] {
  if (field === "html") {
    const script = /<script\b/i.exec(source);
    if (script) {
      const line = lineOf(source, script.index);
      throw new AppError("VALIDATION", `The HTML contains a <script> tag on line ${line}. Email clients never run scripts and spam filters penalise them: remove it.`, { details: { field, line } });
    }
    const js = /\bjavascript:/i.exec(source);
    if (js) {
      const line = lineOf(source, js.index);
      throw new AppError("VALIDATION", `The HTML contains a javascript: link on line ${line}: remove it.`, { details: { field, line } });
    }
  }
  let ast: Node;
  try {
    ast = hb.parse(source) as unknown as Node;
  } catch (err) {
    throw syntaxError(field, err);
  }
  const warnings: TemplateWarning[] = [];
  const warn = (node: Node, tag: string, message: string) => warnings.push({ field, line: node.loc?.start.line ?? 1, tag, message });
  const checkPath = (node: Node, p: Node | undefined) => {
    if (!p) return;
    if (p.type === "PathExpression") {
      const name = String(p.original);
      if (!KNOWN.has(name)) warn(node, name, `Unknown merge tag {{${name}}} on line ${node.loc?.start.line ?? 1}; it will render empty. Known tags: ${MERGE_TAGS.join(", ")}.`);
    } else if (p.type === "SubExpression") {
      warn(node, "(…)", `Sub-expressions are not supported (line ${node.loc?.start.line ?? 1}).`);
    }
  };
  const walk = (n: Node | undefined | null) => {
    if (!n) return;
    switch (n.type) {
      case "Program":
        for (const s of n.body as Node[]) walk(s);
        break;
      case "MustacheStatement": {
        const params = (n.params as Node[]) ?? [];
        if (params.length || (n.hash as Node | undefined)) warn(n, String((n.path as Node).original), `Unknown helper {{${(n.path as Node).original} …}} on line ${n.loc?.start.line ?? 1}.`);
        else checkPath(n, n.path as Node);
        if (field === "html" && n.escaped === false) {
          throw new AppError("VALIDATION", `Triple braces {{{…}}} on line ${n.loc?.start.line ?? 1} turn off HTML escaping: use {{…}}.`, { details: { field, line: n.loc?.start.line ?? 1 } });
        }
        break;
      }
      case "BlockStatement": {
        const name = String((n.path as Node).original);
        if (!BLOCK_HELPERS.has(name)) warn(n, name, `Unknown block helper {{#${name}}} on line ${n.loc?.start.line ?? 1}; only #if and #unless are available.`);
        for (const p of (n.params as Node[]) ?? []) checkPath(n, p);
        walk(n.program as Node);
        walk(n.inverse as Node);
        break;
      }
      case "PartialStatement":
      case "PartialBlockStatement":
      case "DecoratorBlock":
      case "Decorator":
        warn(n, ">", `Partials and decorators are not supported (line ${n.loc?.start.line ?? 1}).`);
        break;
      default:
        break;
    }
  };
  walk(ast);
  return warnings;
}

/** Checks subject, HTML and text together; returns all warnings, throws on the first error. */
export function checkTemplates(src: TemplateSource): TemplateWarning[] {
  return [...checkTemplate("subject", src.subject), ...checkTemplate("html", src.html), ...checkTemplate("text", src.text)];
}

export interface CompiledTemplates {
  render(data: MergeData): { subject: string; html: string; text: string };
}

const compiledCache = new Map<string, CompiledTemplates>();

/** Compiles once per (key, version); the worker renders thousands of messages per campaign. */
export function compileTemplates(src: TemplateSource, cacheKey?: string): CompiledTemplates {
  if (cacheKey) {
    const hit = compiledCache.get(cacheKey);
    if (hit) return hit;
  }
  const opts = { knownHelpers: { if: true, unless: true }, strict: false } as const;
  const compileOne = (field: TemplateField, source: string, escape: boolean) => {
    try {
      const fn = hb.compile(source, { ...opts, noEscape: !escape });
      return (data: MergeData) => {
        try {
          return fn(data);
        } catch (err) {
          throw syntaxError(field, err);
        }
      };
    } catch (err) {
      throw syntaxError(field, err);
    }
  };
  const subject = compileOne("subject", src.subject, false);
  const html = compileOne("html", src.html, true);
  const text = compileOne("text", src.text, false);
  const compiled: CompiledTemplates = {
    // Subjects are a single header line: collapse any newline a merge value brought in.
    render: (data) => ({ subject: subject(data).replace(/[\r\n]+/g, " ").trim(), html: html(data), text: text(data) }),
  };
  if (cacheKey) {
    if (compiledCache.size > 200) compiledCache.clear();
    compiledCache.set(cacheKey, compiled);
  }
  return compiled;
}

export interface ContactLike { fullName?: string | null; company?: string | null; title?: string | null; email?: string | null }

export function mergeDataFor(contact: ContactLike, unsubscribeUrl: string): MergeData {
  const fullName = (contact.fullName ?? "").trim();
  const [firstName = "", ...rest] = fullName.split(/\s+/).filter(Boolean);
  return {
    firstName,
    lastName: rest.join(" "),
    fullName,
    company: contact.company ?? "",
    title: contact.title ?? "",
    email: contact.email ?? "",
    unsubscribeUrl,
  };
}
