"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";

const TERMINAL = new Set(["DONE", "FAILED"]);
const PHASES: Record<string, string> = { preprocess: "Finding the card", qr: "Looking for a QR code", ocr: "Reading text", parse: "Finding fields", saving: "Saving", retrying: "Retrying", done: "Ready", failed: "Failed" };

/** Live progress of this batch's scans; the poll stops once every scan is DONE or FAILED. */
export function ScanProgressList({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.scans.list.queryOptions({ ids }),
    enabled: ids.length > 0,
    // Stops once every scan is DONE or FAILED, and also when none of the ids is found any
    // more (ids kept from an earlier visit whose scans were cleaned up since).
    refetchInterval: (q) => (q.state.data && q.state.data.every((s) => TERMINAL.has(s.status)) ? false : 1000),
  });
  if (!ids.length || data?.length === 0) return null;
  const done = data?.filter((s) => s.status === "DONE").length ?? 0;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600" data-testid="scan-summary">{done} of {data?.length ?? ids.length} ready</p>
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
              <span className="text-rose-700">{s.error ?? "Failed"}</span>
            ) : s.status === "DONE" && s.draftId ? (
              <Link href={`/drafts/${s.draftId}`} className="font-medium text-indigo-700 hover:underline">Review draft →</Link>
            ) : s.status === "DONE" ? (
              <span className="text-slate-500">Reviewed</span>
            ) : (
              <span className="flex w-48 items-center gap-2">
                <span className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200">
                  <span className="block h-full bg-indigo-500 transition-all" style={{ width: `${s.progress}%` }} />
                </span>
                <span className="w-24 text-xs text-slate-500">{s.status === "QUEUED" ? "Queued" : PHASES[s.phase ?? ""] ?? "Working"}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
