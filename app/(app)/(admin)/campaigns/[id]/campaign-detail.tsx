"use client";
// One campaign: while a draft, the editor plus test send / launch / schedule; once
// launched, live progress (polled until final), controls and the per-recipient log.
// Test, launch and schedule act on the saved campaign, so while the editor has unsaved
// changes they save them first and go on only if that worked: what is sent is always what
// the admin sees (docs/campaigns.md, "Sending what the editor shows").
import { useState, useEffect, useRef } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { CampaignEditor, type EditorActions } from "../campaign-editor";
import { StatusBadge, STATUS_LABELS } from "../status-badge";
import { ScrollX } from "@/app/_components/scroll-x";
import { shouldWatchWorker, workerWarning } from "@/server/campaigns/worker-warning";
import { useWorkerStatus } from "@/app/_lib/use-worker-status";

const FINAL = new Set(["SENT", "SENT_WITH_ERRORS", "CANCELLED"]);
const STATES = ["PENDING", "SENDING", "SENT", "FAILED", "SKIPPED", "UNCERTAIN"] as const;
type State = (typeof STATES)[number];

export function CampaignDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const campaign = useQuery({
    ...trpc.campaigns.get.queryOptions({ id }),
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      if (!s || FINAL.has(s) || s === "DRAFT") return false;
      return s === "SCHEDULED" || s === "PAUSED" ? 5000 : 1000;
    },
  });
  // The worker's heartbeat, watched only while this campaign needs a worker (scheduled,
  // queued, preparing, sending): disabled, the query stops polling (docs/campaigns.md,
  // "When no worker runs").
  const watchWorker = shouldWatchWorker(campaign.data ? [campaign.data.status] : []);
  const worker = useWorkerStatus(watchWorker);
  // When the campaign finishes, the recipient log stops polling: load its final state once.
  const finalStatus = campaign.data && FINAL.has(campaign.data.status) ? campaign.data.status : null;
  useEffect(() => {
    if (finalStatus) void qc.invalidateQueries({ queryKey: trpc.campaigns.recipients.pathKey() });
  }, [finalStatus, qc, trpc]);
  // An action's answer is about the state it left the campaign in ("Queued: …", "3 recipient(s)
  // queued again."). `status` is that state (null: none in particular); once the campaign
  // moves on to another one, the message is stale and goes (effect below).
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string; status: string | null } | null>(null);
  const status = campaign.data?.status;
  useEffect(() => {
    if (status) setMessage((m) => (m && m.status !== status ? null : m));
  }, [status]);
  // Set by a save-first action, so its answer can say the changes were saved too. A ref: the
  // mutation's callbacks are those of the render before the save.
  const savedNote = useRef(false);
  const onDone = (text: string, status: string | null = null) => {
    setMessage({ kind: "ok", text: savedNote.current ? `Changes saved. ${text}` : text, status });
    savedNote.current = false;
    qc.invalidateQueries({ queryKey: trpc.campaigns.get.queryKey({ id }) });
    qc.invalidateQueries({ queryKey: trpc.campaigns.recipients.pathKey() });
  };
  const onError = (e: { message: string }) => { savedNote.current = false; setMessage({ kind: "error", text: e.message, status: null }); };
  const opts = { onSuccess: (r: { message: string; status: string }) => onDone(r.message, r.status), onError };
  const launch = useMutation(trpc.campaigns.launch.mutationOptions(opts));
  const pause = useMutation(trpc.campaigns.pause.mutationOptions(opts));
  const resume = useMutation(trpc.campaigns.resume.mutationOptions(opts));
  const cancel = useMutation(trpc.campaigns.cancel.mutationOptions(opts));
  const retryFailed = useMutation(trpc.campaigns.retryFailed.mutationOptions(opts));
  const retryUncertain = useMutation(trpc.campaigns.retryUncertain.mutationOptions(opts));
  const testSend = useMutation(trpc.campaigns.testSend.mutationOptions({ onSuccess: (r) => onDone(`Test sent to ${r.to}.`), onError }));
  const schedule = useMutation(trpc.campaigns.schedule.mutationOptions({ onSuccess: (r) => onDone(`Scheduled for ${new Date(r.scheduledAt).toLocaleString()}.`, r.status), onError }));
  const unschedule = useMutation(trpc.campaigns.unschedule.mutationOptions({ onSuccess: (r) => onDone("Back to draft.", r.status), onError }));
  const remove = useMutation(trpc.campaigns.delete.mutationOptions({ onSuccess: () => router.push("/campaigns"), onError }));
  // A new draft from this campaign (to send it again, or to start from it); it opens in the editor.
  const duplicate = useMutation(trpc.campaigns.duplicate.mutationOptions({ onSuccess: (r) => { qc.invalidateQueries({ queryKey: trpc.campaigns.list.queryKey() }); router.push(`/campaigns/${r.id}`); }, onError }));
  const [when, setWhen] = useState("");
  // A save-first action is on its way (saving, counting, or waiting for the confirmation).
  const [preparing, setPreparing] = useState(false);

  /** Saves the editor's changes if any; false (with the reason shown) when the action must not go on. */
  const saveFirst = async (ed: EditorActions): Promise<boolean> => {
    const r = await ed.saveFirst();
    if (!r.ok) { setMessage({ kind: "error", text: r.error, status: null }); return false; }
    savedNote.current = r.saved;
    return true;
  };
  const runTest = async (ed: EditorActions) => {
    setMessage(null);
    setPreparing(true);
    try {
      if (await saveFirst(ed)) testSend.mutate({ id });
    } finally { setPreparing(false); }
  };
  const runSchedule = async (ed: EditorActions) => {
    setMessage(null);
    setPreparing(true);
    try {
      if (await saveFirst(ed)) schedule.mutate({ id, at: new Date(when), expectedUpdatedAt: ed.version() });
    } finally { setPreparing(false); }
  };
  const runLaunch = async (ed: EditorActions) => {
    setMessage(null);
    setPreparing(true);
    try {
      if (!(await saveFirst(ed))) return;
      const saved = savedNote.current;
      // Every check the launch makes (templates, an audience nobody in it can be mailed, a newer
      // version saved by someone else), then the saved audience counted now: the question must
      // name the number of people this launch reaches, and never be asked for a launch that would
      // be refused. The version is the one the editor's form is based on (or just saved), not the
      // page's cache, which a refetch may have moved on while the form still shows the old text.
      const version = ed.version();
      let n: { total: number; sendable: number; subject: string };
      try {
        n = await qc.fetchQuery({ ...trpc.campaigns.checkLaunch.queryOptions({ id, expectedUpdatedAt: version }), staleTime: 0 });
      } catch (e) {
        savedNote.current = false;
        onError({ message: `${saved ? "Changes saved. " : ""}Not launched: ${(e as Error).message}` });
        return;
      }
      if (!confirm(launchQuestion(n, n.subject, saved))) {
        savedNote.current = false;
        if (saved) setMessage({ kind: "ok", text: "Changes saved. Not launched.", status: null });
        return;
      }
      launch.mutate({ id, expectedUpdatedAt: version });
    } finally { setPreparing(false); }
  };

  if (campaign.error) return <p role="alert" className="card text-rose-700">{campaign.error.message}</p>;
  const c = campaign.data;
  if (!c) return <p className="text-sm text-slate-500">Loading…</p>;
  const editable = c.status === "DRAFT" || c.status === "SCHEDULED";
  const running = c.status === "QUEUED" || c.status === "PREPARING" || c.status === "SENDING";
  const offline = watchWorker && !worker.isError ? workerWarning({ status: c.status, sending: c.counts.SENDING, scheduledAt: c.scheduledAt }, worker.data) : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/campaigns" className="text-sm text-slate-500 hover:underline">← Campaigns</Link>
        <h1 className="text-2xl font-semibold" data-testid="campaign-name">{c.name}</h1>
        <StatusBadge status={c.status} testId="campaign-status" />
      </div>
      {offline && <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="worker-offline">{offline}</p>}
      {message && <p role={message.kind === "error" ? "alert" : "status"} className={`text-sm ${message.kind === "error" ? "text-rose-700" : "text-emerald-700"}`} data-testid="campaign-message">{message.text}</p>}

      {editable ? (
        <CampaignEditor
          id={id}
          initial={{ name: c.name, fromName: c.fromName, fromEmail: c.fromEmail, subject: c.subject, html: c.html, text: c.text, audience: c.audience }}
          version={c.updatedAt}
          actions={(ed) => {
            const busy = preparing || ed.saving || testSend.isPending || launch.isPending || schedule.isPending;
            return (
              <section className="card flex flex-wrap items-end gap-3" aria-label="Actions">
                <button className="btn-secondary" onClick={() => void runTest(ed)} disabled={busy}>Send test to me</button>
                <button className="btn-primary" onClick={() => void runLaunch(ed)} disabled={busy}>Launch now</button>
                <div className="flex items-end gap-2">
                  <div>
                    <label className="label" htmlFor="c-when">Schedule for</label>
                    <input id="c-when" type="datetime-local" className="input" value={when} onChange={(e) => setWhen(e.target.value)} />
                  </div>
                  <button className="btn-secondary" disabled={!when || busy} onClick={() => void runSchedule(ed)}>Schedule</button>
                </div>
                {c.status === "SCHEDULED" && (
                  <p className="text-sm text-sky-800">Launches {c.scheduledAt ? new Date(c.scheduledAt).toLocaleString() : ""}. <button className="underline" onClick={() => unschedule.mutate({ id })}>Unschedule</button></p>
                )}
                <button className="btn-danger ml-auto" onClick={() => { if (confirm("Delete this draft?")) remove.mutate({ id }); }}>Delete draft</button>
                {ed.dirty && (
                  <p className="w-full text-sm text-amber-800" data-testid="unsaved-note">
                    Unsaved changes below: sending a test, launching or scheduling saves them first.
                  </p>
                )}
              </section>
            );
          }}
        />
      ) : (
        <>
          <section className="card space-y-4" aria-label="Progress">
            <div className="flex items-center gap-3">
              <div className="h-3 flex-1 overflow-hidden rounded-full bg-slate-200" role="progressbar" aria-label={c.summary || "Progress"} aria-valuenow={c.percent} aria-valuemin={0} aria-valuemax={100} data-testid="campaign-progress" data-percent={c.percent}>
                <div className={`h-full transition-all ${c.status === "SENT_WITH_ERRORS" ? "bg-rose-500" : c.status === "CANCELLED" ? "bg-slate-400" : "bg-indigo-500"}`} style={{ width: `${c.percent}%` }} />
              </div>
              <span className="w-12 text-right text-sm font-medium" data-testid="campaign-percent">{c.percent}%</span>
            </div>
            {c.summary && <p className="text-sm text-slate-700" data-testid="campaign-summary">{c.summary}</p>}
            <dl className="grid grid-cols-3 gap-3 text-sm sm:grid-cols-6">
              {STATES.map((s) => (
                <div key={s} className="rounded-lg bg-slate-50 p-2">
                  <dt className="text-xs text-slate-500">{STATUS_LABELS[s]}</dt>
                  <dd className="text-lg font-semibold" data-testid={`count-${s}`}>{c.counts[s]}</dd>
                </div>
              ))}
            </dl>
            {c.status === "PREPARING" && <p className="text-sm text-slate-600">Preparing the recipient list; sending has started for the first batches.</p>}
            {c.pausedReason && c.status === "PAUSED" && <p className="rounded bg-amber-50 p-2 text-sm text-amber-800" data-testid="paused-reason">{c.pausedReason}</p>}
            {c.status === "SENT_WITH_ERRORS" && <p className="text-sm text-rose-700" data-testid="attention-note">{attentionNote(c.counts.FAILED, c.failedSuppressed, c.counts.UNCERTAIN)}</p>}
            <div className="flex flex-wrap gap-2">
              {running && <button className="btn-secondary" onClick={() => pause.mutate({ id })} disabled={pause.isPending}>Pause</button>}
              {c.status === "PAUSED" && <button className="btn-primary" onClick={() => resume.mutate({ id })} disabled={resume.isPending}>Resume</button>}
              {(running || c.status === "PAUSED") && <button className="btn-danger" onClick={() => { if (confirm("Cancel the campaign? Recipients not yet sent will be skipped.")) cancel.mutate({ id }); }} disabled={cancel.isPending}>Cancel</button>}
              {c.counts.FAILED - c.failedSuppressed > 0 && c.status !== "CANCELLED" && <button className="btn-secondary" onClick={() => retryFailed.mutate({ id })} disabled={retryFailed.isPending}>Retry failed ({c.counts.FAILED - c.failedSuppressed})</button>}
              {c.counts.UNCERTAIN > 0 && c.status !== "CANCELLED" && <button className="btn-secondary" onClick={() => { if (confirm(uncertainQuestion(c.counts.UNCERTAIN))) retryUncertain.mutate({ id }); }} disabled={retryUncertain.isPending}>Retry uncertain ({c.counts.UNCERTAIN})</button>}
              <button className="btn-secondary ml-auto" onClick={() => duplicate.mutate({ id })} disabled={duplicate.isPending}>Duplicate</button>
            </div>
            <p className="text-xs text-slate-500">From {c.fromName} &lt;{c.fromEmail}&gt; · Subject “{c.subject}” · {c.launchedAt ? `launched ${new Date(c.launchedAt).toLocaleString()}` : ""}{c.finishedAt ? ` · finished ${new Date(c.finishedAt).toLocaleString()}` : ""}</p>
          </section>
          <RecipientLog id={id} live={!FINAL.has(c.status)} />
        </>
      )}
    </div>
  );
}

/** When a row got its state: sent, the next retry of one waiting for it, else when it failed, was skipped or became uncertain. */
function whenOf(r: { status: string; sentAt: Date | null; nextAttemptAt: Date; attempts: number; updatedAt: Date }): string {
  if (r.sentAt) return new Date(r.sentAt).toLocaleString();
  if (r.status === "PENDING") return r.attempts > 0 ? `retry ${new Date(r.nextAttemptAt).toLocaleTimeString()}` : "";
  if (r.status === "SENDING") return "";
  return new Date(r.updatedAt).toLocaleString();
}

/** The "Retry uncertain" question: how many, and how to find out first who already has it (docs/campaigns.md). */
function uncertainQuestion(n: number): string {
  return [
    `Send again to ${plural(n, "recipient", "recipients")} whose message may already have been delivered?`,
    "Those who did receive it will get it twice (with the same Message-ID).",
    "To check first: in the send log below show only \"Uncertain\", download it (CSV) and look its Message-IDs up in your mail server's log.",
  ].join("\n\n");
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The launch confirmation: how many people this reaches, and what the subject is. */
function launchQuestion(n: { total: number; sendable: number }, subject: string, saved: boolean): string {
  const skipped = n.total - n.sendable;
  return [
    saved ? "Your changes were saved." : null,
    `Send to ${plural(n.sendable, "contact", "contacts")} now?`,
    skipped > 0 ? `${plural(skipped, "more contact matches", "more contacts match")} but ${skipped === 1 ? "is" : "are"} skipped (no valid email, unsubscribed or bounced).` : null,
    `Subject: ${subject}`,
  ].filter(Boolean).join("\n\n");
}

/** Why a finished campaign needs attention; zero parts left out, the explanation only for uncertain. */
/**
 * What needs attention, and what "Retry" can do about it: failed addresses that are now suppressed (a hard bounce,
 * an unsubscribe) are never retried, so they are counted apart instead of being offered.
 */
function attentionNote(failed: number, suppressed: number, uncertain: number): string {
  const retryable = failed - suppressed;
  const parts = [
    failed > 0 ? `${failed.toLocaleString("en-US")} failed${suppressed > 0 ? ` (${suppressed === failed ? (failed === 1 ? "" : "all ") : `${suppressed.toLocaleString("en-US")} of them `}bounced or unsubscribed: not retried)` : ""}` : null,
    uncertain > 0 ? `${uncertain.toLocaleString("en-US")} uncertain (the send was cut off, by a stopped worker or a lost answer from the mail server: they may or may not have received it)` : null,
  ].filter(Boolean);
  // A slow send may report an UNCERTAIN recipient SENT after the campaign finished
  // (campaign-view.ts counts such campaigns live): then nothing is left to retry.
  if (!parts.length) return "Nothing needs attention any more: the uncertain messages were reported sent after all.";
  const canRetry = retryable + uncertain;
  return `${parts.join(" and ")}.${canRetry > 0 ? ` Retry ${canRetry === 1 ? "it" : "them"} below if you wish.` : ""}`;
}

function RecipientLog({ id, live }: { id: string; live: boolean }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<State | "">("");
  const [search, setSearch] = useState("");
  const [searched, setSearched] = useState("");
  // Asks once typing pauses, not on every key.
  useEffect(() => {
    const t = setTimeout(() => setSearched(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);
  const q = useInfiniteQuery({
    ...trpc.campaigns.recipients.infiniteQueryOptions({ id, status: status || undefined, search: searched || undefined, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
    refetchInterval: live ? 3000 : false,
  });
  const rows = q.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <section className="card space-y-3" aria-label="Recipients">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 className="font-medium">Recipients</h2>
        <div className="flex flex-wrap items-end gap-3">
          {/* The whole log, or the rows of the state shown: app/api/campaigns/[id]/recipients. */}
          <a className="btn-secondary py-1 text-sm" href={`/api/campaigns/${id}/recipients`} download data-testid="download-log">Download log (CSV)</a>
          {status && <a className="btn-secondary py-1 text-sm" href={`/api/campaigns/${id}/recipients?status=${status}`} download data-testid="download-log-filtered">Download {STATUS_LABELS[status].toLowerCase()} only (CSV)</a>}
          <div>
            <label className="label" htmlFor="r-search">Find a recipient</label>
            <input id="r-search" type="search" className="input" placeholder="Email or name" maxLength={254} value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
          <div>
            <label className="label" htmlFor="r-filter">Filter by state</label>
            <select id="r-filter" className="input" value={status} onChange={(e) => setStatus(e.target.value as State | "")}>
              <option value="">All states</option>
              {STATES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
            </select>
          </div>
        </div>
      </div>
      <ScrollX label="Send log">
        <table className="min-w-full text-sm">
          <thead className="text-left text-slate-500">
            <tr><th className="py-2 pr-4">Contact</th><th className="py-2 pr-4">Email</th><th className="py-2 pr-4">State</th><th className="py-2 pr-4">Attempts</th><th className="py-2 pr-4">When</th><th className="py-2">Detail</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top" data-testid="recipient-row" data-status={r.status}>
                <td className="py-2 pr-4">{r.fullName ?? <span className="text-slate-400">deleted contact</span>}</td>
                <td className="py-2 pr-4">{r.email ?? "—"}</td>
                <td className="py-2 pr-4"><StatusBadge status={r.status} /></td>
                <td className="py-2 pr-4">{r.attempts}</td>
                <td className="py-2 pr-4 whitespace-nowrap text-slate-500">{whenOf(r)}</td>
                <td className="py-2 text-xs text-slate-600">{r.reason ?? (r.messageId ? <code>{r.messageId}</code> : "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
      {!rows.length && !q.isLoading && <p className="text-sm text-slate-500">{searched ? `No recipient matches “${searched}”${status ? " in this state" : ""}.` : "No recipients in this state."}</p>}
      {q.hasNextPage && <button className="btn-secondary" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>Load more</button>}
    </section>
  );
}
