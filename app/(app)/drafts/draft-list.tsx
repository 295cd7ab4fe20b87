"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { ExpiresIn } from "./expires-in";

export function DraftList() {
  const trpc = useTRPC();
  const { data, isLoading } = useQuery(trpc.drafts.list.queryOptions());
  if (isLoading) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!data?.length) {
    return (
      <div className="card text-sm text-slate-600">
        No drafts waiting. <Link href="/scan" className="font-medium text-indigo-700 hover:underline">Scan some cards</Link>.
      </div>
    );
  }
  return (
    // grid-cols-1 and min-w-0: a grid item is otherwise as wide as its longest name, and one long name widened
    // every card past a phone's screen (truncate had nothing to cut).
    <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {data.map((d) => (
        <li key={d.id} className="min-w-0">
          <Link href={`/drafts/${d.id}`} className="card flex gap-3 hover:border-indigo-300" data-testid="draft-card">
            {d.thumbnailUrl ? (
              // eslint-disable-next-line @next/next/no-img-element
              <img src={d.thumbnailUrl} alt="" className="h-16 w-24 flex-none rounded object-cover" loading="lazy" />
            ) : (
              <div className="flex h-16 w-24 flex-none items-center justify-center rounded bg-slate-100 text-xs text-slate-700">pasted text</div>
            )}
            <div className="min-w-0 flex-1 space-y-1">
              <p className="truncate font-medium">{d.fields.fullName ?? "Unnamed"}</p>
              <p className="truncate text-sm text-slate-600">{d.fields.company ?? d.fields.email ?? "—"}</p>
              <ExpiresIn at={d.expiresAt} />
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
