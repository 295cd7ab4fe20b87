"use client";
import { MAX_TAGS } from "@/server/contacts/tags";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "next/navigation";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { SOURCE_LABELS, exportUrl } from "./labels";
import { NewContactForm } from "./new-contact-form";
import { useHydrated } from "@/app/_lib/use-hydrated";
import { useEarlyInput } from "@/app/_lib/use-early-input";
import { formatPhone } from "@/server/contacts/contact-links";
import { errorText } from "@/app/_lib/error-text";

type Sort = "created" | "name" | "company";
/** FIELD_LIMITS.tags (server/contacts/normalize.ts, which the browser cannot import). */
const SORT_VALUES: readonly Sort[] = ["created", "name", "company"];

/**
 * The search and filters live in the page's URL (/contacts?search=…&tag=…), so a search can be
 * bookmarked or sent to a colleague, and Back from a contact returns to it. Read once when the
 * list mounts (from the URL itself, so Back restores it too); a value that is not one the
 * filter knows is dropped rather than shown as an error, since URLs get hand-edited.
 */
function filtersFromUrl(p: URLSearchParams) {
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "");
  const sort = p.get("sort") as Sort | null;
  const source = p.get("source") ?? "";
  const ownerId = p.get("ownerId") ?? "";
  return {
    search: (p.get("search") ?? "").slice(0, 200),
    source: Object.hasOwn(SOURCE_LABELS, source) ? source : "",
    ownerId: /^[0-9a-f-]{36}$/i.test(ownerId) ? ownerId : "",
    tag: (p.get("tag") ?? "").slice(0, 40),
    createdFrom: day(p.get("createdFrom")),
    createdTo: day(p.get("createdTo")),
    sort: sort && SORT_VALUES.includes(sort) ? sort : ("created" as Sort),
    mailStatus: p.get("mailStatus") === "suppressed" ? ("suppressed" as const) : ("" as const),
  };
}

/** "2 contacts", "No contacts match", "50 contacts shown, more below": what the status line says. "" while loading. */
function foundMessage(loading: boolean, count: number, more: boolean): string {
  if (loading) return "";
  if (count === 0) return "No contacts match";
  if (more) return `${count.toLocaleString("en-US")} contacts shown, more below`;
  return count === 1 ? "1 contact" : `${count.toLocaleString("en-US")} contacts`;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function ContactsList({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const urlParams = useSearchParams();
  const [initial] = useState(() => filtersFromUrl(new URLSearchParams(urlParams?.toString() ?? "")));
  const [searchText, setSearchText] = useState(initial.search);
  const searchBox = useEarlyInput<HTMLInputElement>(setSearchText);
  const search = useDebounced(searchText.trim(), 200);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const hydrated = useHydrated();
  const [source, setSource] = useState(initial.source);
  const [ownerId, setOwnerId] = useState(initial.ownerId);
  const [tagText, setTagText] = useState(initial.tag);
  const tag = useDebounced(tagText.trim(), 300);
  const [createdFrom, setCreatedFrom] = useState(initial.createdFrom);
  const [createdTo, setCreatedTo] = useState(initial.createdTo);
  const [sort, setSort] = useState<Sort>(initial.sort);
  const [mailStatus, setMailStatus] = useState<"" | "suppressed">(initial.mailStatus);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkTag, setBulkTag] = useState("");
  const [newOwnerId, setNewOwnerId] = useState("");
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  const activeFilters = [source, ownerId, tagText.trim(), createdFrom, createdTo, mailStatus, sort === "created" ? "" : sort].filter(Boolean).length;
  const owners = useQuery(trpc.contacts.owners.queryOptions());
  const filters = useMemo(
    () => ({
      search: search || undefined,
      source: (source || undefined) as "manual" | undefined,
      ownerId: ownerId || undefined,
      tag: tag || undefined,
      createdFrom: createdFrom ? new Date(`${createdFrom}T00:00:00`) : undefined,
      createdTo: createdTo ? new Date(`${createdTo}T23:59:59.999`) : undefined,
      mailStatus: mailStatus || undefined,
      sort,
      limit: 50,
    }),
    [search, source, ownerId, tag, createdFrom, createdTo, mailStatus, sort],
  );

  // Keep the URL in step (after the debounce, so not every keystroke). replaceState, not a
  // push: a search is one place in the history, not one entry per letter; and not
  // router.replace, which would ask the server to render the page again for each change.
  // Next.js keeps useSearchParams in step with the native history calls.
  useEffect(() => {
    const q = new URLSearchParams();
    const put = (k: string, v: string) => { if (v) q.set(k, v); };
    put("search", search);
    put("source", source);
    put("ownerId", ownerId);
    put("tag", tag);
    put("createdFrom", createdFrom);
    put("createdTo", createdTo);
    put("mailStatus", mailStatus);
    if (sort !== "created") q.set("sort", sort);
    const next = q.size ? `?${q.toString()}` : "";
    if (next !== window.location.search) window.history.replaceState(window.history.state, "", `${window.location.pathname}${next}${window.location.hash}`);
  }, [search, source, ownerId, tag, createdFrom, createdTo, mailStatus, sort]);
  const list = useInfiniteQuery(
    trpc.contacts.list.infiniteQueryOptions(filters, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  // A new search starts a new selection.
  useEffect(() => setSelected(new Set()), [filters]);

  const refresh = () => qc.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
  const tagMutation = useMutation(
    trpc.contacts.bulkTag.mutationOptions({
      onSuccess: (r) => {
        const tagged = `Tagged ${r.updated} contact${r.updated === 1 ? "" : "s"}`;
        if (r.skippedFull) {
          // The rest of the selection got the tag; the full ones stay selected, to be looked at.
          const full = r.skippedFull === 1 ? "1 contact already has" : `${r.skippedFull} contacts already have`;
          setMessage({ kind: "error", text: `${tagged}. ${full} ${MAX_TAGS} tags (the most a contact can have) and ${r.skippedFull === 1 ? "was" : "were"} not tagged; ${r.skippedFull === 1 ? "it is" : "they are"} still selected. Remove a tag from ${r.skippedFull === 1 ? "it" : "them"} first.` });
          setSelected(new Set(r.skippedFullIds ?? []));
        } else {
          setMessage({ kind: "ok", text: tagged });
        }
        setBulkTag("");
        refresh();
      },
      onError: (e) => setMessage({ kind: "error", text: errorText(e) }),
    }),
  );
  const ownerMutation = useMutation(
    trpc.contacts.bulkSetOwner.mutationOptions({
      onSuccess: (r) => {
        const parts = [`Moved ${r.updated} contact${r.updated === 1 ? "" : "s"} to ${r.ownerName}`];
        if (r.unchanged) parts.push(`${r.unchanged} already belonged to them`);
        if (r.missing) parts.push(`${r.missing} no longer exist${r.missing === 1 ? "s" : ""}`);
        setMessage({ kind: "ok", text: parts.join("; ") });
        setNewOwnerId("");
        setSelected(new Set());
        refresh();
      },
      onError: (e) => setMessage({ kind: "error", text: errorText(e) }),
    }),
  );
  const deleteMutation = useMutation(
    trpc.contacts.bulkDelete.mutationOptions({
      onSuccess: (r) => {
        setMessage({ kind: "ok", text: `Deleted ${r.deleted} contact${r.deleted === 1 ? "" : "s"}` });
        setSelected(new Set());
        refresh();
      },
      onError: (e) => setMessage({ kind: "error", text: errorText(e) }),
    }),
  );

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const activeOwners = (owners.data ?? []).filter((o) => !o.disabled);
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));
  const ids = [...selected];
  const searchParams = {
    search: filters.search, source: filters.source, ownerId: filters.ownerId, tag: filters.tag,
    createdFrom: filters.createdFrom?.toISOString(), createdTo: filters.createdTo?.toISOString(),
    mailStatus: filters.mailStatus,
  };

  return (
    <div className="space-y-4">
      <div className="card space-y-3">
        <label className="label" htmlFor="contact-search">Search</label>
        <input
          id="contact-search"
          ref={searchBox}
          type="search"
          className="input"
          placeholder="Name, company, email or phone"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          autoComplete="off"
        />
        {/* On a phone the six filters would fill the first screen and push the results below
            it: they fold behind a button there (with the count of those in use); from the
            sm breakpoint up they are always shown. */}
        <button
          type="button"
          className="btn-secondary sm:hidden"
          aria-expanded={filtersOpen}
          aria-controls="contact-filters"
          disabled={!hydrated}
          onClick={() => setFiltersOpen((o) => !o)}
          data-testid="filters-toggle"
        >
          {filtersOpen ? "Hide filters" : "Filters"}{activeFilters ? ` (${activeFilters})` : ""}
        </button>
        <div id="contact-filters" className={`${filtersOpen ? "grid" : "hidden"} gap-3 sm:grid sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-7`}>
          <div>
            <label className="label" htmlFor="f-source">Source</label>
            <select id="f-source" className="input" value={source} onChange={(e) => setSource(e.target.value)}>
              <option value="">All sources</option>
              {Object.entries(SOURCE_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </div>
          <div>
            <label className="label" htmlFor="f-owner">Owner</label>
            <select id="f-owner" className="input" value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
              <option value="">Everyone</option>
              {/* A leaver stays in the filter (to find their contacts and hand them over), marked. */}
              {owners.data?.map((o) => <option key={o.id} value={o.id}>{o.name}{o.disabled ? " (disabled)" : ""}</option>)}
            </select>
          </div>
          <div>
            <label className="label" htmlFor="f-tag">Tag</label>
            <input id="f-tag" className="input" value={tagText} onChange={(e) => setTagText(e.target.value)} placeholder="any" />
          </div>
          <div>
            <label className="label" htmlFor="f-from">Created from</label>
            <input id="f-from" type="date" className="input" value={createdFrom} onChange={(e) => setCreatedFrom(e.target.value)} />
          </div>
          <div>
            <label className="label" htmlFor="f-to">Created to</label>
            <input id="f-to" type="date" className="input" value={createdTo} onChange={(e) => setCreatedTo(e.target.value)} />
          </div>
          <div>
            {/* Who campaigns skip because they unsubscribed or their address bounced (EmailSuppression). */}
            <label className="label" htmlFor="f-mail">Mail status</label>
            <select id="f-mail" className="input" value={mailStatus} onChange={(e) => setMailStatus(e.target.value === "suppressed" ? "suppressed" : "")}>
              <option value="">Any</option>
              <option value="suppressed">Unsubscribed or bounced</option>
            </select>
          </div>
          <div>
            <label className="label" htmlFor="f-sort">Sort by</label>
            <select id="f-sort" className="input" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              <option value="created">Newest first</option>
              <option value="name">Name</option>
              <option value="company">Company</option>
            </select>
          </div>
        </div>
        <div className="flex flex-wrap gap-2 text-sm">
          <span className="text-slate-500">Export this search:</span>
          <a className="text-indigo-700 hover:underline" href={exportUrl("csv", searchParams)} data-testid="export-search-csv">CSV</a>
          <a className="text-indigo-700 hover:underline" href={exportUrl("vcf", searchParams)}>vCard</a>
        </div>
      </div>

      <NewContactForm onCreated={refresh} />

      {selected.size > 0 && (
        <div className="card flex flex-wrap items-center gap-2" data-testid="bulk-bar">
          <span className="text-sm font-medium">{selected.size} selected</span>
          {/* POST: a long selection does not fit in a URL. */}
          <form method="POST" action="/api/contacts/export" className="flex gap-2">
            <input type="hidden" name="ids" value={ids.join(",")} />
            <button className="btn-secondary" name="format" value="csv" data-testid="export-selected-csv">Export CSV</button>
            <button className="btn-secondary" name="format" value="vcf">Export vCard</button>
          </form>
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (bulkTag.trim()) tagMutation.mutate({ ids, tag: bulkTag.trim() });
            }}
          >
            <input className="input w-36" placeholder="tag" aria-label="Tag to add" value={bulkTag} onChange={(e) => setBulkTag(e.target.value)} />
            <button className="btn-secondary" disabled={tagMutation.isPending || !bulkTag.trim()}>Add tag</button>
          </form>
          {isAdmin && (
            <form
              className="flex gap-2"
              aria-label="Change owner"
              onSubmit={(e) => {
                e.preventDefault();
                const owner = activeOwners.find((o) => o.id === newOwnerId);
                if (owner && confirm(`Give ${selected.size} contact(s) to ${owner.name}?`)) ownerMutation.mutate({ ids, ownerId: owner.id });
              }}
            >
              {/* Active users only: a disabled user cannot own contacts (the server refuses one with a 422). */}
              <select className="input w-48" aria-label="New owner" value={newOwnerId} onChange={(e) => setNewOwnerId(e.target.value)} data-testid="bulk-owner">
                <option value="">New owner…</option>
                {activeOwners.map((o) => <option key={o.id} value={o.id}>{o.name} ({o.email})</option>)}
              </select>
              <button className="btn-secondary" disabled={ownerMutation.isPending || !newOwnerId}>Change owner</button>
            </form>
          )}
          {isAdmin && (
            <button
              className="btn-danger"
              disabled={deleteMutation.isPending}
              onClick={() => {
                if (confirm(`Delete ${selected.size} contact(s)? This cannot be undone.`)) deleteMutation.mutate({ ids });
              }}
            >
              Delete
            </button>
          )}
        </div>
      )}
      {message && (
        <p role={message.kind === "error" ? "alert" : "status"} className={`text-sm ${message.kind === "error" ? "text-rose-700" : "text-emerald-700"}`}>{message.text}</p>
      )}

      {/* What the search found, for screen readers: the list itself changes silently. Always mounted (a region
          mounted together with its text is often not announced), empty while a search loads, so the same
          count after a new search is heard again. */}
      <p role="status" aria-live="polite" className="sr-only" data-testid="contacts-found">{foundMessage(list.isLoading || list.isError, items.length, !!list.hasNextPage)}</p>
      <div className="card p-0 sm:p-0">
        {list.isLoading ? (
          <p className="p-4 text-sm text-slate-500">Loading…</p>
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-rose-700">{list.error.message}</p>
        ) : items.length === 0 ? (
          <p className="p-4 text-sm text-slate-600" data-testid="no-contacts">No contacts match.</p>
        ) : (
          <table className="w-full text-sm" data-testid="contacts-table">
            <thead className="hidden text-left text-slate-500 sm:table-header-group">
              <tr className="border-b border-slate-200">
                <th className="w-10 px-4 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all shown"
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))}
                  />
                </th>
                <th className="py-2 pr-4">Name</th>
                <th className="py-2 pr-4">Company</th>
                <th className="hidden py-2 pr-4 md:table-cell">Email</th>
                <th className="hidden py-2 pr-4 lg:table-cell">Phone</th>
                <th className="hidden py-2 pr-4 lg:table-cell">Owner</th>
                <th className="hidden py-2 pr-4 md:table-cell">Source</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} className="flex flex-wrap items-start gap-x-3 border-t border-slate-100 px-4 py-3 sm:table-row sm:px-0 sm:py-0" data-testid="contact-row">
                  <td className="sm:px-4 sm:py-2">
                    <input type="checkbox" aria-label={`Select ${c.fullName}`} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                  </td>
                  <td className="min-w-0 flex-1 sm:py-2 sm:pr-4">
                    <Link href={`/contacts/${c.id}`} className="font-medium text-indigo-700 hover:underline">{c.fullName}</Link>
                    {c.title && <span className="block text-xs text-slate-500">{c.title}</span>}
                    {c.tags.length > 0 && (
                      <span className="mt-1 flex flex-wrap gap-1">
                        {c.tags.map((t) => <span key={t} className="badge bg-slate-100 text-slate-700">{t}</span>)}
                      </span>
                    )}
                  </td>
                  <td className="w-full pl-7 text-slate-700 sm:w-auto sm:py-2 sm:pl-0 sm:pr-4">{c.company ?? ""}</td>
                  <td className="w-full truncate pl-7 text-slate-600 sm:pl-0 md:table-cell md:w-auto md:py-2 md:pr-4">{c.email ?? ""}</td>
                  <td className="hidden py-2 pr-4 text-slate-600 lg:table-cell">{c.phone ? formatPhone(c.phone) : ""}</td>
                  <td className="hidden py-2 pr-4 text-slate-600 lg:table-cell">{c.ownerName}</td>
                  <td className="hidden py-2 pr-4 md:table-cell"><span className="badge bg-indigo-50 text-indigo-700">{SOURCE_LABELS[c.source] ?? c.source}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {list.hasNextPage && (
        <button className="btn-secondary w-full sm:w-auto" onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}
