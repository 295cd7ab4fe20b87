"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { batchSummary, phaseLabel, scanOutcome, type ScanOutcomeInput } from "@/server/cards/scan-labels";

const TERMINAL = new Set(["DONE", "FAILED"]);

/** Live progress of this batch's scans; the poll stops once every scan is DONE or FAILED. */
export function ScanProgressList({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.scans.list.queryOptions({ ids }),
    enabled: ids.length > 0,
    // Stops once every scan is DONE or FAILED, and also when none of the ids is found any
    // more (ids kept from an earlier visit whose scans were cleaned up since).
    refetchInterval: (q) => (q.state.data && q.state.data.every((s) => TERMINAL.has(s.status)) ? false : 1000),
    // Coming back from a draft just confirmed or discarded, the cached rows (fetched seconds ago, polling
    // stopped) would still link to that draft: read them again on every visit.
    refetchOnMount: "always",
  });
  if (!ids.length || data?.length === 0) return null;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600" data-testid="scan-summary">{batchSummary(data ?? [], ids.length)}</p>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {(data ?? []).map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm" data-testid="scan-row" data-status={s.status}>
            {/* Once read, say whose card it was: after a batch, IMG_2034.jpg tells the rep nothing.
                No summary (OCR found no name, company, email or phone; or a scan from before
                summaries existed): the file name alone, as it claims nothing. */}
            <span className="min-w-0 flex-1">
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
                <span className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200">
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
