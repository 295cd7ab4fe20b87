const STYLES: Record<string, string> = {
  DRAFT: "bg-slate-100 text-slate-700",
  SCHEDULED: "bg-sky-100 text-sky-800",
  QUEUED: "bg-indigo-100 text-indigo-800",
  PREPARING: "bg-indigo-100 text-indigo-800",
  SENDING: "bg-indigo-100 text-indigo-800",
  PAUSED: "bg-amber-100 text-amber-800",
  SENT: "bg-emerald-100 text-emerald-800",
  SENT_WITH_ERRORS: "bg-rose-100 text-rose-800",
  CANCELLED: "bg-slate-200 text-slate-600",
  PENDING: "bg-slate-100 text-slate-700",
  FAILED: "bg-rose-100 text-rose-800",
  SKIPPED: "bg-slate-200 text-slate-600",
  UNCERTAIN: "bg-amber-100 text-amber-800",
};

export const STATUS_LABELS: Record<string, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  QUEUED: "Queued",
  PREPARING: "Preparing recipients",
  SENDING: "Sending",
  PAUSED: "Paused",
  SENT: "Sent",
  SENT_WITH_ERRORS: "Sent, needs attention",
  CANCELLED: "Cancelled",
  PENDING: "Pending",
  FAILED: "Failed",
  SKIPPED: "Skipped",
  UNCERTAIN: "Uncertain",
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge ${STYLES[status] ?? "bg-slate-100 text-slate-700"}`} data-testid={testId} data-status={status}>
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}
