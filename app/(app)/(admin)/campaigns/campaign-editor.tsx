"use client";
// The authoring form shared by /campaigns/new and a draft's page: sender, subject, HTML
// and text bodies with merge tags, the audience (filter or explicit selection) with its
// live recipient count, and a preview rendered for any contact of the audience.
// On a draft's page it also knows whether the form differs from what is saved, and lends
// the page's actions (test, launch, schedule) a "save first" step: those act on the saved
// campaign, so they must never run while the editor shows something else.
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/app/_trpc/client";
import { useHydrated } from "@/app/_lib/use-hydrated";

type Audience =
  | { kind: "all" }
  | { kind: "tag"; tag: string }
  | { kind: "source"; source: "card_scan" | "text_input" | "telegram" | "linkedin_search" | "linkedin_connection" | "manual" }
  | { kind: "owner"; ownerId: string }
  | { kind: "contacts"; contactIds: string[] };

export interface CampaignDraft { name: string; fromName: string; fromEmail: string; subject: string; html: string; text: string; audience: Audience }

/** What the editor of a saved campaign lends the page's action buttons. */
export interface EditorActions {
  /** The form differs from the saved campaign. */
  dirty: boolean;
  saving: boolean;
  /**
   * Saves the form if it has changes. `ok` only when the saved campaign is exactly what the
   * form shows: a failed save, or an edit made while the save was on its way, is not ok.
   * `saved` says whether anything was saved (for the page's message).
   */
  saveFirst: () => Promise<{ ok: true; saved: boolean } | { ok: false; error: string }>;
  /** The saved version (updatedAt) the form is based on: what an action confirms is this version. */
  version: () => Date | undefined;
}

const DRAFT_KEYS = ["name", "fromName", "fromEmail", "subject", "html", "text"] as const;

/** Only the editable fields, from a saved campaign (the server returns more). */
function draftOf(c: CampaignDraft): CampaignDraft {
  return { name: c.name, fromName: c.fromName, fromEmail: c.fromEmail, subject: c.subject, html: c.html, text: c.text, audience: c.audience };
}

// Key order differs between what the form builds and what the server returns (JSON column).
const canonical = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(canonical).join(",")}]`
  : v && typeof v === "object" ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`
  : JSON.stringify(v);

function sameDraft(a: CampaignDraft, b: CampaignDraft): boolean {
  return DRAFT_KEYS.every((k) => a[k] === b[k]) && canonical(a.audience) === canonical(b.audience);
}

const SOURCES = ["card_scan", "text_input", "telegram", "linkedin_search", "linkedin_connection", "manual"] as const;
const SOURCE_LABELS: Record<string, string> = { card_scan: "Card scan", text_input: "Pasted text", telegram: "Telegram", linkedin_search: "LinkedIn search", linkedin_connection: "LinkedIn connection", manual: "Manual" };

const STARTER_HTML = `<p>Hi {{firstName}},</p>
<p>It was great meeting you. Here is what {{company}} might like about our product…</p>
<p>Best regards,<br>The sales team</p>
<p style="font-size:12px;color:#64748b"><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>`;
const STARTER_TEXT = `Hi {{firstName}},

It was great meeting you. Here is what {{company}} might like about our product…

Best regards,
The sales team

Unsubscribe: {{unsubscribeUrl}}`;

function useDebounced<T>(value: T, ms = 400): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function errorMessage(e: unknown): string {
  const err = e as { message?: string; data?: { fieldErrors?: Record<string, string[]> } };
  const fields = err?.data?.fieldErrors;
  if (fields) return Object.entries(fields).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ");
  return err?.message ?? "Something went wrong";
}

/**
 * `version`: the saved campaign's updatedAt when the page read it. Each save sends it (and then the version it
 * saved), so a save over another admin's newer one is refused (409) instead of silently replacing it.
 */
export function CampaignEditor({ id, initial, version, actions }: { id?: string; initial?: CampaignDraft; version?: Date; actions?: (a: EditorActions) => ReactNode }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  // Server-rendered: a save before hydration would be the browser's own submit, a reload that
  // drops what was typed. The button waits for the script instead.
  const hydrated = useHydrated();
  const defaults = useQuery(trpc.campaigns.defaults.queryOptions());
  const options = useQuery(trpc.campaigns.audienceOptions.queryOptions());
  const [form, setForm] = useState<CampaignDraft>(
    initial ?? { name: "", fromName: "", fromEmail: "", subject: "Hello {{firstName}}", html: STARTER_HTML, text: STARTER_TEXT, audience: { kind: "all" } },
  );
  useEffect(() => {
    if (!initial && defaults.data && !form.fromEmail) setForm((f) => ({ ...f, fromName: f.fromName || defaults.data.sender.name, fromEmail: defaults.data.sender.address }));
  }, [defaults.data, initial, form.fromEmail]);
  const set = <K extends keyof CampaignDraft>(k: K, v: CampaignDraft[K]) => setForm((f) => ({ ...f, [k]: v }));
  // What the server holds, to tell whether the form has unsaved changes (a saved campaign only).
  const [savedDraft, setSavedDraft] = useState<CampaignDraft | null>(initial ? draftOf(initial) : null);
  const dirty = !!id && !!savedDraft && !sameDraft(form, savedDraft);
  // The form as last rendered, read after a save's round trip (the click's closure is older).
  const formRef = useRef(form);
  useEffect(() => { formRef.current = form; }, [form]);

  const audience = useDebounced(form.audience, 250);
  const audienceValid = audience.kind === "all" || (audience.kind === "tag" && !!audience.tag) || (audience.kind === "source" && !!audience.source) || (audience.kind === "owner" && !!audience.ownerId) || (audience.kind === "contacts" && audience.contactIds.length > 0);
  const count = useQuery({ ...trpc.campaigns.audienceCount.queryOptions(audience), enabled: audienceValid });
  const [search, setSearch] = useState("");
  const debouncedSearch = useDebounced(search, 300);
  const pickerAudience: Audience = form.audience.kind === "contacts" ? { kind: "all" } : audience;
  const sample = useQuery({ ...trpc.campaigns.audienceSample.queryOptions({ audience: pickerAudience, limit: 30, search: debouncedSearch || undefined }), enabled: form.audience.kind === "contacts" || audienceValid });

  const [previewContact, setPreviewContact] = useState<string>("");
  const previewInput = useDebounced({ subject: form.subject, html: form.html, text: form.text, contactId: previewContact || undefined }, 400);
  const preview = useQuery({ ...trpc.campaigns.preview.queryOptions(previewInput), retry: false });

  const [error, setError] = useState<string | null>(null);
  const create = useMutation(trpc.campaigns.create.mutationOptions({ onSuccess: (c) => router.push(`/campaigns/${c.id}`), onError: (e) => setError(errorMessage(e)) }));
  const update = useMutation(trpc.campaigns.update.mutationOptions());
  const versionRef = useRef(version);
  const [saved, setSaved] = useState(false);

  /**
   * Saves the form of a saved campaign. The server trims and lower-cases some fields: the form
   * then shows what was stored, unless it was edited meanwhile (then it stays unsaved, and the
   * result says so). Refreshes the page's copy of the campaign before answering, so what the
   * page does next (status, audience) reads the saved state.
   */
  const persist = async (): Promise<{ ok: true } | { ok: false; error: string; changedMeanwhile?: true }> => {
    const snapshot = form;
    setError(null);
    setSaved(false);
    try {
      const view = await update.mutateAsync({ id: id!, fields: snapshot, expectedUpdatedAt: versionRef.current });
      versionRef.current = view.updatedAt;
      const stored = draftOf(view);
      setSavedDraft(stored);
      await Promise.all([
        qc.invalidateQueries({ queryKey: trpc.campaigns.get.queryKey({ id: id! }) }),
        qc.invalidateQueries({ queryKey: trpc.campaigns.list.queryKey() }),
      ]);
      if (!sameDraft(formRef.current, snapshot)) return { ok: false, changedMeanwhile: true, error: "You edited the campaign while it was being saved, so nothing was sent. Check it and try again." };
      setForm(stored);
      return { ok: true };
    } catch (e) {
      const text = errorMessage(e);
      setError(text);
      return { ok: false, error: `Not saved, so nothing was sent: ${text}` };
    }
  };
  const save = () => {
    if (id) void persist().then((r) => { if (r.ok) setSaved(true); });
    else { setError(null); create.mutate(form); }
  };
  const saveFirst: EditorActions["saveFirst"] = async () => {
    if (!dirty) return { ok: true, saved: false };
    const r = await persist();
    return r.ok ? { ok: true, saved: true } : { ok: false, error: r.error };
  };

  const selected = useMemo(() => new Set(form.audience.kind === "contacts" ? form.audience.contactIds : []), [form.audience]);
  const toggle = (cid: string) => {
    const next = new Set(selected);
    if (next.has(cid)) next.delete(cid); else next.add(cid);
    set("audience", { kind: "contacts", contactIds: [...next] });
  };

  return (
    <>
    {actions?.({ dirty, saving: update.isPending, saveFirst, version: () => versionRef.current })}
    <div className="grid gap-6 lg:grid-cols-2">
      <form className="card space-y-4" onSubmit={(e) => { e.preventDefault(); save(); }}>
        <div>
          <label className="label" htmlFor="c-name">Name</label>
          <input id="c-name" className="input" value={form.name} onChange={(e) => set("name", e.target.value)} required maxLength={200} placeholder="Spring follow-up" />
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label className="label" htmlFor="c-from-name">Sender name</label>
            <input id="c-from-name" className="input" value={form.fromName} onChange={(e) => set("fromName", e.target.value)} maxLength={120} />
          </div>
          <div>
            <label className="label" htmlFor="c-from-email">Sender email</label>
            <input id="c-from-email" type="email" className="input" value={form.fromEmail} onChange={(e) => set("fromEmail", e.target.value)} required />
          </div>
        </div>
        <div>
          <label className="label" htmlFor="c-subject">Subject</label>
          <input id="c-subject" className="input" value={form.subject} onChange={(e) => set("subject", e.target.value)} required />
        </div>
        <div>
          <label className="label" htmlFor="c-html">HTML body</label>
          <textarea id="c-html" className="input h-48 font-mono text-xs" value={form.html} onChange={(e) => set("html", e.target.value)} />
        </div>
        <div>
          <label className="label" htmlFor="c-text">Plain-text body</label>
          <textarea id="c-text" className="input h-32 font-mono text-xs" value={form.text} onChange={(e) => set("text", e.target.value)} />
        </div>
        <p className="text-xs text-slate-500">Merge tags: {(defaults.data?.mergeTags ?? []).map((t) => `{{${t}}}`).join(" ")} · {"{{#if company}}…{{/if}}"}. Values are HTML-escaped.</p>

        <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-700">Audience</legend>
          <div>
            <label className="label" htmlFor="c-audience">Send to</label>
            <select id="c-audience" className="input" value={form.audience.kind} onChange={(e) => {
              const k = e.target.value as Audience["kind"];
              set("audience", k === "all" ? { kind: "all" } : k === "tag" ? { kind: "tag", tag: options.data?.tags[0]?.tag ?? "" } : k === "source" ? { kind: "source", source: "card_scan" } : k === "owner" ? { kind: "owner", ownerId: options.data?.owners[0]?.id ?? "" } : { kind: "contacts", contactIds: [] });
            }}>
              <option value="all">All contacts</option>
              <option value="tag">Contacts with a tag</option>
              <option value="source">Contacts from a source</option>
              <option value="owner">Contacts of an owner</option>
              <option value="contacts">Selected contacts</option>
            </select>
          </div>
          {form.audience.kind === "tag" && (
            <div>
              <label className="label" htmlFor="c-tag">Tag</label>
              <select id="c-tag" className="input" value={form.audience.tag} onChange={(e) => set("audience", { kind: "tag", tag: e.target.value })}>
                {!form.audience.tag && <option value="">Choose a tag</option>}
                {options.data?.tags.map((t) => <option key={t.tag} value={t.tag}>{t.tag} ({t.count})</option>)}
              </select>
            </div>
          )}
          {form.audience.kind === "source" && (
            <div>
              <label className="label" htmlFor="c-source">Source</label>
              <select id="c-source" className="input" value={form.audience.source} onChange={(e) => set("audience", { kind: "source", source: e.target.value as (typeof SOURCES)[number] })}>
                {SOURCES.map((s) => <option key={s} value={s}>{SOURCE_LABELS[s]}</option>)}
              </select>
            </div>
          )}
          {form.audience.kind === "owner" && (
            <div>
              <label className="label" htmlFor="c-owner">Owner</label>
              <select id="c-owner" className="input" value={form.audience.ownerId} onChange={(e) => set("audience", { kind: "owner", ownerId: e.target.value })}>
                {options.data?.owners.map((o) => <option key={o.id} value={o.id}>{o.name} ({o.email})</option>)}
              </select>
            </div>
          )}
          {form.audience.kind === "contacts" && (
            <div className="space-y-2">
              <input className="input" placeholder="Search contacts by name or email" aria-label="Search contacts" value={search} onChange={(e) => setSearch(e.target.value)} />
              <ul className="max-h-48 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 text-sm">
                {sample.data?.map((c) => (
                  <li key={c.id} className="px-2 py-1">
                    <label className="flex items-center gap-2">
                      <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                      <span className="flex-1 truncate">{c.fullName}</span>
                      <span className="truncate text-xs text-slate-500">{c.email ?? "no email"}</span>
                    </label>
                  </li>
                ))}
              </ul>
              <p className="text-xs text-slate-500">{selected.size} selected</p>
            </div>
          )}
          <p className="text-sm" data-testid="recipient-count">
            {!audienceValid ? "Choose who receives it." : count.data ? (
              <>
                <strong>{count.data.sendable}</strong> recipient{count.data.sendable === 1 ? "" : "s"}
                {count.data.total !== count.data.sendable && <span className="text-slate-500"> ({count.data.total} match; {count.data.noEmail} without a valid email, {count.data.suppressed} unsubscribed or bounced are skipped)</span>}
              </>
            ) : "Counting…"}
          </p>
        </fieldset>

        {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
        {saved && !dirty && <p className="text-sm text-emerald-700" role="status">Saved.</p>}
        {dirty && <p className="text-sm text-amber-800" data-testid="editor-unsaved">Unsaved changes.</p>}
        <button type="submit" className="btn-primary" disabled={!hydrated || create.isPending || update.isPending}>{id ? "Save changes" : "Save draft"}</button>
      </form>

      <section className="card space-y-3" aria-label="Preview">
        <div className="flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-1">
            <label className="label" htmlFor="c-preview-contact">Preview as</label>
            <select id="c-preview-contact" className="input" value={previewContact} onChange={(e) => setPreviewContact(e.target.value)}>
              <option value="">Sample person (Ada Lovelace)</option>
              {(form.audience.kind === "contacts" ? sample.data?.filter((c) => selected.has(c.id)) : sample.data)?.map((c) => <option key={c.id} value={c.id}>{c.fullName}{c.email ? ` <${c.email}>` : ""}</option>)}
            </select>
          </div>
        </div>
        {preview.error ? (
          <p role="alert" className="rounded bg-rose-50 p-2 text-sm text-rose-700" data-testid="preview-error">{preview.error.message}</p>
        ) : preview.data ? (
          <>
            {preview.data.warnings.length > 0 && (
              <ul className="rounded bg-amber-50 p-2 text-sm text-amber-800" data-testid="preview-warnings">
                {preview.data.warnings.map((w, i) => <li key={i}>{w.field}: {w.message}</li>)}
              </ul>
            )}
            <p className="text-sm"><span className="text-slate-500">Subject:</span> <strong data-testid="preview-subject">{preview.data.subject}</strong></p>
            <iframe title="Email preview" sandbox="" className="h-80 w-full rounded border border-slate-200 bg-white" srcDoc={preview.data.html} />
            <details>
              <summary className="cursor-pointer text-sm text-slate-600">Plain-text version</summary>
              <pre className="mt-2 whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs" data-testid="preview-text">{preview.data.text}</pre>
            </details>
          </>
        ) : <p className="text-sm text-slate-500">Rendering…</p>}
      </section>
    </div>
    </>
  );
}
