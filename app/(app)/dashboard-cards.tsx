"use client";
// The home page: what needs the caller now. Drafts expire after 24 h, so the drafts waiting
// for review come first, with the next expiry; then scanning, their contacts, and for admins
// the latest campaigns. Refreshed every few seconds only while something shown moves: cards
// still being read, or a shown campaign still sending (it stops once none is).
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ExpiresIn } from "./drafts/expires-in";
import { StatusBadge } from "./(admin)/campaigns/status-badge";

// A campaign whose figures change by themselves (PAUSED, SCHEDULED wait for someone or a time).
const RUNNING = new Set(["QUEUED", "PREPARING", "SENDING"]);

export function DashboardCards() {
  const trpc = useTRPC();
  const { data, isError } = useQuery({
    ...trpc.dashboard.summary.queryOptions(),
    refetchInterval: (q) => {
      const d = q.state.data;
      return d && (d.scansInProgress > 0 || d.campaigns?.some((c) => RUNNING.has(c.status))) ? 3_000 : false;
    },
  });
  if (isError) return <p role="alert" className="text-sm text-rose-700">The dashboard could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p className="text-sm text-slate-500">Loading…</p>;
  const { drafts, scansInProgress, contacts, campaigns } = data;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <section className="card space-y-2" data-testid="dash-drafts">
        <h2 className="font-medium">Drafts to review</h2>
        <p className="text-3xl font-semibold" data-testid="dash-drafts-count">{drafts.pending}</p>
        {drafts.pending > 0 && drafts.nextExpiresAt ? (
          <>
            <p className="text-sm text-slate-600">Next one: <ExpiresIn at={drafts.nextExpiresAt} /></p>
            <Link href="/drafts" className="btn-primary inline-block">Review drafts</Link>
          </>
        ) : (
          <p className="text-sm text-slate-600">Nothing waiting. Drafts nobody reviews expire after 24 hours.</p>
        )}
      </section>

      <section className="card space-y-2" data-testid="dash-scan">
        <h2 className="font-medium">Capture</h2>
        <p className="text-sm text-slate-600">
          {scansInProgress > 0 ? <span data-testid="dash-scans-in-progress">{scansInProgress} {scansInProgress === 1 ? "card is" : "cards are"} still being read.</span> : "Photograph cards, up to 50 at a time, or paste a signature."}
        </p>
        <Link href="/scan" className={`${drafts.pending > 0 ? "btn-secondary" : "btn-primary"} inline-block`}>Scan cards</Link>
      </section>

      <section className="card space-y-2" data-testid="dash-contacts">
        <h2 className="font-medium">Your contacts</h2>
        <p className="text-3xl font-semibold" data-testid="dash-contacts-count">{contacts.mine}</p>
        <p className="text-sm text-slate-600">{contacts.mineThisWeek} added in the last 7 days · <Link href="/contacts" className="text-indigo-700 underline">All contacts</Link></p>
      </section>

      {campaigns && (
        <section className="card space-y-2" data-testid="dash-campaigns">
          <div className="flex items-center justify-between">
            <h2 className="font-medium">Campaigns</h2>
            <Link href="/campaigns" className="text-sm text-indigo-700 hover:underline">All</Link>
          </div>
          {campaigns.length === 0 ? (
            <p className="text-sm text-slate-600">None yet. <Link href="/campaigns/new" className="text-indigo-700 underline">New campaign</Link></p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {campaigns.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center gap-2 py-2">
                  <Link href={`/campaigns/${c.id}`} className="min-w-0 flex-1 truncate font-medium text-indigo-700 hover:underline">{c.name}</Link>
                  <StatusBadge status={c.status} />
                  {/* What was sent, in words: a cancelled campaign must not read "1999/1999". */}
                  {c.summary && <span className="w-full text-slate-500" data-testid="dash-campaign-summary">{c.summary}</span>}
                  {c.needsAttention > 0 && <span className="text-rose-700">{c.needsAttention} to check</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
