"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ScrollX } from "@/app/_components/scroll-x";
import { UndoImport } from "./undo-import";

const PREVIEW_BYTES = 256 * 1024;
const MAX_BYTES = 10 * 1024 * 1024;

interface Preview {
  kind: "csv" | "linkedin" | "vcard";
  headers: string[];
  mapping: string[];
  rows: string[][];
  fieldOptions: { value: string; label: string }[];
  encoding?: string;
}

const KIND_LABELS = { csv: "CSV", linkedin: "LinkedIn connections export", vcard: "vCard" } as const;

async function errorText(res: Response): Promise<string> {
  const body = await res.json().catch(() => null);
  return body?.error?.message ?? `The server answered ${res.status}`;
}

export function ImportWizard() {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [onDuplicate, setOnDuplicate] = useState<"skip" | "merge" | "create">("skip");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);

  async function choose(f: File | null) {
    setFile(f);
    setPreview(null);
    setError(null);
    setJobId(null);
    if (!f) return;
    if (f.size > MAX_BYTES) {
      setError(`The file is ${(f.size / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB. Split it into smaller files.`);
      return;
    }
    setBusy(true);
    try {
      const body = new FormData();
      body.set("file", f.slice(0, PREVIEW_BYTES), f.name);
      if (f.size > PREVIEW_BYTES) body.set("truncated", "1");
      const res = await fetch("/api/contacts/import/preview", { method: "POST", body });
      if (!res.ok) throw new Error(await errorText(res));
      const p = (await res.json()) as Preview;
      setPreview(p);
      setMapping(p.mapping);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function start() {
    if (!file || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const body = new FormData();
      body.set("file", file, file.name);
      body.set("onDuplicate", onDuplicate);
      if (preview.kind !== "vcard") body.set("mapping", JSON.stringify(mapping));
      const res = await fetch("/api/contacts/import", { method: "POST", body });
      if (!res.ok) throw new Error(await errorText(res));
      setJobId(((await res.json()) as { jobId: string }).jobId);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      <div className="card space-y-3">
        <label className="label" htmlFor="import-file">File</label>
        <input id="import-file" type="file" accept=".csv,.vcf,.vcard,.txt,text/csv,text/vcard" className="block w-full text-sm" onChange={(e) => choose(e.target.files?.[0] ?? null)} disabled={busy && !preview} />
        {busy && !preview && <p className="text-sm text-slate-500">Reading…</p>}
        {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
      </div>

      {preview && !jobId && (
        <div className="card space-y-4" data-testid="import-preview">
          <p className="text-sm">
            Detected: <span className="badge bg-indigo-50 text-indigo-700" data-testid="import-kind">{KIND_LABELS[preview.kind]}</span>
            {preview.encoding && <span className="ml-2 text-xs text-slate-500">encoding {preview.encoding}</span>}
          </p>
          <ScrollX label="Column mapping">
            <table className="min-w-full text-sm">
              <thead>
                <tr className="text-left text-slate-500">
                  {preview.headers.map((h, i) => (
                    <th key={i} className="py-1 pr-3 align-bottom font-normal">
                      <span className="block text-xs">{h || `(column ${i + 1})`}</span>
                      {preview.kind !== "vcard" && (
                        <select
                          aria-label={`Column ${h || i + 1} maps to`}
                          className="input mt-1 min-w-32"
                          value={mapping[i] ?? "ignore"}
                          onChange={(e) => setMapping((m) => m.map((v, j) => (j === i ? e.target.value : v)))}
                        >
                          {preview.fieldOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                        </select>
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    {preview.headers.map((_, j) => <td key={j} className="max-w-48 truncate py-1 pr-3">{r[j] ?? ""}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
          <fieldset className="space-y-1 text-sm">
            <legend className="label">When a contact already exists (same email, phone, or name + company)</legend>
            {([
              ["skip", "Skip it"],
              ["merge", "Merge: fill the existing contact's empty fields and add tags"],
              ["create", "Create a new contact anyway"],
            ] as const).map(([v, l]) => (
              <label key={v} className="flex items-center gap-2">
                <input type="radio" name="onDuplicate" value={v} checked={onDuplicate === v} onChange={() => setOnDuplicate(v)} />
                {l}
              </label>
            ))}
          </fieldset>
          <button className="btn-primary" onClick={start} disabled={busy}>{busy ? "Uploading…" : "Start import"}</button>
        </div>
      )}

      {jobId && <ImportProgress id={jobId} />}
    </div>
  );
}

function ImportProgress({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.imports.get.queryOptions({ id }),
    refetchInterval: (query) => (query.state.data?.terminal ? false : 1000),
  });
  const r = q.data;
  if (!r) return <p className="text-sm text-slate-500">Starting…</p>;
  const unit = r.format === "vcard" ? "card" : "line";
  return (
    <div className="card space-y-3" data-testid="import-progress" data-status={r.status}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-medium">Import {r.status === "DONE" ? "finished" : r.status === "FAILED" ? "failed" : "in progress"}</h2>
        <span className="badge bg-slate-100 text-slate-700" data-testid="import-status">{r.status}</span>
      </div>
      <div className="h-2 w-full overflow-hidden rounded bg-slate-100" role="progressbar" aria-valuenow={r.percent} aria-valuemin={0} aria-valuemax={100}>
        <div className="h-full bg-indigo-600 transition-all" style={{ width: `${r.percent}%` }} />
      </div>
      <p className="text-sm text-slate-600">{r.processedRows.toLocaleString()} of {r.totalRows.toLocaleString()} rows</p>
      {/* Which lines of a mostly-UTF-8 file were read as Windows-1252 (server/imports/decode.ts): worth a look. */}
      {r.encoding && r.encoding !== "utf-8" && <p className="text-xs text-slate-500" data-testid="import-encoding">Read as {r.encoding}</p>}
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" data-testid="import-report">
        <div><dt className="text-slate-500">Created</dt><dd className="text-lg font-semibold" data-testid="count-created">{r.created}</dd></div>
        <div><dt className="text-slate-500">Merged</dt><dd className="text-lg font-semibold" data-testid="count-merged">{r.merged}</dd></div>
        <div><dt className="text-slate-500">Skipped</dt><dd className="text-lg font-semibold" data-testid="count-skipped">{r.skipped}</dd></div>
        <div><dt className="text-slate-500">Invalid</dt><dd className="text-lg font-semibold" data-testid="count-invalid">{r.invalid}</dd></div>
      </dl>
      {r.error && <p role="alert" className="text-sm text-rose-700">{r.error}</p>}
      {r.report.length > 0 && (
        <ScrollX label="Rows not imported">
          <table className="min-w-full text-sm" data-testid="import-problems">
            <thead className="text-left text-slate-500"><tr><th className="py-1 pr-3">Where</th><th className="py-1 pr-3">What</th><th className="py-1">Why</th></tr></thead>
            <tbody>
              {r.report.map((e, i) => (
                <tr key={i} className="border-t border-slate-100">
                  <td className="py-1 pr-3 whitespace-nowrap">{unit} {e.row}</td>
                  <td className="py-1 pr-3">{e.kind}</td>
                  <td className="py-1 break-all">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.invalid + r.skipped > r.report.length && <p className="text-xs text-slate-500">Showing the first {r.report.length} problems.</p>}
        </ScrollX>
      )}
      {/* Every problem row, also past the first 1,000 the table shows: to fix the list and import it again. */}
      {r.terminal && r.invalid + r.skipped > 0 && (
        <a className="btn-secondary" href={`/api/contacts/import/${r.id}/problems`} download data-testid="download-problems">
          {r.invalid + r.skipped === 1 ? "Download the problem (CSV)" : `Download all ${(r.invalid + r.skipped).toLocaleString()} problems (CSV)`}
        </a>
      )}
      {r.mergedRows.length > 0 && (
        // Which contact each merged row went into, and what it filled or added there: to check the merges.
        <ScrollX label="Rows merged into a contact">
          <h3 className="text-sm font-medium">Merged rows</h3>
          <table className="min-w-full text-sm" data-testid="import-merged">
            <thead className="text-left text-slate-500"><tr><th className="py-1 pr-3">Where</th><th className="py-1 pr-3">Into contact</th><th className="py-1">What</th></tr></thead>
            <tbody>
              {r.mergedRows.map((m) => (
                <tr key={m.row} className="border-t border-slate-100">
                  <td className="py-1 pr-3 whitespace-nowrap">{unit} {m.row}</td>
                  <td className="py-1 pr-3">
                    {m.contactId ? <Link href={`/contacts/${m.contactId}`} className="text-indigo-700 underline">{m.contactName}</Link> : <span className="text-slate-500">deleted since</span>}
                  </td>
                  <td className="py-1 break-all">{m.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.merged > r.mergedRows.length && <p className="text-xs text-slate-500">Showing the first {r.mergedRows.length.toLocaleString()} of {r.merged.toLocaleString()} merged rows.</p>}
        </ScrollX>
      )}
      {/* Every merged row, with the contact it went into; not in the problems file, so fixing that never merges twice. */}
      {r.terminal && r.mergedRows.length > 0 && (
        <a className="btn-secondary" href={`/api/contacts/import/${r.id}/problems?result=merged`} download data-testid="download-merged">
          {r.merged === 1 ? "Download the merged row (CSV)" : `Download all ${r.merged.toLocaleString()} merged rows (CSV)`}
        </a>
      )}
      {r.terminal && <Link href="/contacts" className="btn-secondary">See contacts</Link>}
      {r.terminal && r.created > 0 && <UndoImport id={r.id} created={r.created} />}
    </div>
  );
}
