"use client";
// "Tags for these cards": one line ("web-summit-2026, vip") applied to every card uploaded and
// every signature pasted from then on in this tab. At an event the rep sets it once and scans
// fifty cards; the tags then arrive on each draft instead of being added contact by contact.
// Kept in sessionStorage like the batch list, so a phone browser that discards and reloads the
// tab (the rep switched to the camera) keeps it; a new tab starts empty, as a new event would.
import { useCallback, useEffect, useState } from "react";
import { useEarlyInput } from "@/app/_lib/use-early-input";

const KEY = "sales-agent:scan-tags";

/** The tags line and its setter, remembered in this tab. */
export function useBatchTags(): [string, (value: string) => void] {
  const [tags, setTags] = useState("");
  // Read after hydration: the server renders an empty box, so both sides agree.
  useEffect(() => {
    try {
      const stored = sessionStorage.getItem(KEY);
      // A value typed before hydration (useEarlyInput, in the child, whose effect runs first) wins.
      if (typeof stored === "string") setTags((prev) => prev || stored);
    } catch {
      // Unavailable storage: start empty.
    }
  }, []);
  const set = useCallback((value: string) => {
    setTags(value);
    try {
      sessionStorage.setItem(KEY, value);
    } catch {
      // Private mode or full storage: the value still applies until the page is left.
    }
  }, []);
  return [tags, set];
}

/** What the server will store, for the preview under the box: split at commas, trimmed, lower-cased, once each
 *  (server/contacts/normalize.ts, parseTagInput, is the rule; this only shows it). */
export function previewTags(line: string): string[] {
  return [...new Set(line.split(",").map((t) => t.trim().toLowerCase().replace(/\s+/g, " ")).filter(Boolean))];
}

export function BatchTagsInput({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: string | null }) {
  // Typed before the script ran: taken up on hydration (and stored, so useBatchTags' read keeps it).
  const box = useEarlyInput<HTMLInputElement>(onChange);
  const preview = previewTags(value);
  return (
    <section className="card space-y-2">
      <label htmlFor="batch-tags" className="label">Tags for these cards <span className="font-normal text-slate-500">(optional)</span></label>
      <input
        ref={box}
        id="batch-tags"
        name="tags"
        className={`input ${error ? "border-rose-500 bg-rose-50" : ""}`}
        placeholder="web-summit-2026, vip"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "batch-tags-error" : "batch-tags-help"}
        onChange={(e) => onChange(e.target.value)}
        data-testid="batch-tags"
      />
      {error ? (
        <p id="batch-tags-error" role="alert" className="text-xs text-rose-700 wrap-anywhere" data-testid="batch-tags-error">{error}</p>
      ) : (
        <p id="batch-tags-help" className="text-xs text-slate-500 wrap-anywhere">
          {preview.length
            ? <>Every card you upload or paste in this tab gets: {preview.map((t) => <span key={t} className="badge mr-1 bg-slate-100 text-slate-700">{t}</span>)}</>
            : "Separate tags with commas. They go on every card you upload or paste in this tab, and you can change them on each draft."}
        </p>
      )}
    </section>
  );
}
