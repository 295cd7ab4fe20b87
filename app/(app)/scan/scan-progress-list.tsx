"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { batchSummary, phaseLabel, scanOutcome, scansWaiting, scanWorkerWarning, type ScanOutcomeInput } from "@/server/cards/scan-labels";
import { useWorkerStatus } from "@/app/_lib/use-worker-status";

const TERMINAL = new Set(["DONE", "FAILED"]);

/**
 * Live progress of this batch's scans; the poll stops once every scan is DONE or FAILED.
 *
 * For screen readers (docs/capture.md, "Accessibility of the scan page"): the batch line ("3 of 9 ready · 1
 * failed") is a polite live region that is always in the page, empty until there is a batch, because a region
 * mounted together with its first text is often not announced. It is the one announcement of the list: a row
 * turning into "Review draft →" or "We couldn't read this card" changes that line, so it is heard without every
 * row talking. Each bar is a named progressbar, and the worker-offline notice is an alert.
 */
export function ScanProgressList({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const { data, isPaused } = useQuery({
    ...trpc.scans.list.queryOptions({ ids }),
    enabled: ids.length > 0,
    // Stops once every scan is DONE or FAILED, and also when none of the ids is found any
    // more (ids kept from an earlier visit whose scans were cleaned up since).
    refetchInterval: (q) => (q.state.data && q.state.data.every((s) => TERMINAL.has(s.status)) ? false : 1000),
    // Coming back from a draft just confirmed or discarded, the cached rows (fetched seconds ago, polling
    // stopped) would still link to that draft: read them again on every visit.
    refetchOnMount: "always",
  });
  // The worker's heartbeat, watched only while a listed scan waits for a worker (QUEUED or PROCESSING): once all
  // are DONE or FAILED the query is disabled and stops polling. Without a worker, "Queued" would never change.
  const rows = ids.length ? (data ?? []) : [];
  const waiting = scansWaiting(rows);
  const worker = useWorkerStatus(waiting > 0);
  const offline = waiting > 0 && !worker.isError ? scanWorkerWarning(rows, worker.data) : null;
  const shown = ids.length > 0 && data?.length !== 0;
  const summary = shown ? batchSummary(data ?? [], ids.length) : "";
  return (
    <div>
      {/* Always mounted (see above); sr-only while empty, so it takes no room. */}
      <p role="status" aria-live="polite" className={summary ? "mt-4 text-sm text-slate-600" : "sr-only"} data-testid="scan-summary">{summary}</p>
      {/* React Query holds the poll while the browser is offline: say why the list stands still. */}
      {isPaused && ids.length > 0 && (
        <p className="mt-2 rounded-lg bg-slate-100 p-3 text-sm text-slate-700" data-testid="scans-offline">
          You are offline: this list updates when the connection is back. The cards already sent are being read on the server.
        </p>
      )}
      {offline && <p role="alert" className="mt-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="worker-offline">{offline}</p>}
      {shown && (
        <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200">
          {(data ?? []).map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm" data-testid="scan-row" data-status={s.status}>
              {/* Once read, say whose card it was: after a batch, IMG_2034.jpg tells the rep nothing.
                  No summary (OCR found no name, company, email or phone; or a scan from before
                  summaries existed): the file name alone, as it claims nothing. */}
              {/* basis-40: the name keeps 10rem; on a phone the progress bar wraps below it instead of squeezing it to "c…". */}
              <span className="min-w-0 flex-1 basis-40">
                {s.summary ? (
                  <>
                    <span className="block truncate font-medium" data-testid="scan-who">{s.summary}</span>
                    <span className="block truncate text-xs text-slate-500">{s.fileName ?? "card"}</span>
                  </>
                ) : (
                  <span className="block truncate font-medium">{s.fileName ?? "card"}</span>
                )}
              </span>
              {s.status === "FAILED" ? (
                <FailedScan scan={s} />
              ) : s.status === "DONE" ? (
                <Outcome scan={s} />
              ) : (
                <span className="flex w-72 max-w-full items-center gap-2">
                  {/* Named after the card (the person once read, else the file), with the phase in its value
                      text: "Reading text, 40%" says more than "40%". */}
                  <span
                    role="progressbar"
                    aria-label={s.summary ?? s.fileName ?? "card"}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={s.progress}
                    aria-valuetext={`${phaseLabel(s)}, ${s.progress}%`}
                    className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200"
                    data-testid="scan-progress"
                  >
                    <span className="block h-full bg-indigo-500 transition-all" style={{ width: `${s.progress}%` }} />
                  </span>
                  <span className="w-40 shrink-0 text-xs text-slate-500" data-testid="scan-phase" title={s.error ?? undefined}>{phaseLabel(s)}</span>
                </span>
              )}
              {/* Why it is being tried again, while the retry waits and while it runs. */}
              {s.status !== "FAILED" && s.status !== "DONE" && s.attempts > 0 && s.error && (
                <span className="basis-full text-xs text-amber-700" data-testid="scan-last-error">Last try: {s.error}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The draft to review, the contact it became, or why there is neither (server/cards/scan-labels.ts). */
function Outcome({ scan }: { scan: ScanOutcomeInput }) {
  const o = scanOutcome(scan);
  if (!o) return null;
  return "href" in o ? (
    <Link href={o.href} className="font-medium text-indigo-700 hover:underline" data-testid="scan-outcome">{o.label}</Link>
  ) : (
    <span className="text-slate-500" data-testid="scan-outcome">{o.label}</span>
  );
}

/**
 * OCR gave up on this card, but its photo is stored: offer an empty draft on that photo ("Type it in"), or what
 * the draft already made from it led to. The stored reason stays visible, smaller, for the curious and for support.
 */
function FailedScan({ scan }: { scan: ScanOutcomeInput & { id: string; error?: string } }) {
  const { id: scanId, error } = scan;
  const trpc = useTRPC();
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const typeIn = useMutation(
    trpc.drafts.fromFailedScan.mutationOptions({
      onSuccess: ({ id }) => router.push(`/drafts/${id}`),
      onError: (e) => setProblem(e.message),
    }),
  );
  return (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <span className="text-rose-700" data-testid="scan-failed" title={error}>We couldn&apos;t read this card. Type it in from the photo.</span>
      {scanOutcome(scan) ? (
        <Outcome scan={scan} />
      ) : (
        <button type="button" className="btn-secondary" disabled={typeIn.isPending} onClick={() => { setProblem(null); typeIn.mutate({ scanId }); }}>
          {typeIn.isPending ? "Opening…" : "Type it in"}
        </button>
      )}
      {error && <span className="basis-full text-xs text-slate-500" data-testid="scan-error">{error}</span>}
      {problem && <span role="alert" className="basis-full text-xs text-rose-700">{problem}</span>}
    </span>
  );
}
