"use client";
// The home page: what needs the caller now. Drafts expire after 24 h, so the drafts waiting
// for review come first, with the next expiry; then scanning, their contacts, and for admins
// the latest campaigns. Refreshed every few seconds only while cards are still being read.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ExpiresIn } from "./drafts/expires-in";
import { StatusBadge } from "./(admin)/campaigns/status-badge";

export function DashboardCards() {
  const trpc = useTRPC();
  const { data, isError } = useQuery({
    ...trpc.dashboard.summary.queryOptions(),
    refetchInterval: (q) => ((q.state.data?.scansInProgress ?? 0) > 0 ? 3_000 : false),
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
            <h2 className="font-medium">Latest campaigns</h2>
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
                  {c.total > 0 && <span className="text-slate-500">{c.done}/{c.total}</span>}
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
