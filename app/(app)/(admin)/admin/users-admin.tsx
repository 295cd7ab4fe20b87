"use client";
import { Fragment, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { useHydrated } from "@/app/_lib/use-hydrated";
import { ScrollX } from "@/app/_components/scroll-x";
import { errorText } from "@/app/_lib/error-text";

type Role = "ADMIN" | "REP";
type Notice = { kind: "ok" | "error"; text: string } | null;

// The team's users: change a role, disable or enable, set a new password, add a user. The
// server refuses what would lock the team out (your own role or account, the last active
// admin: 409) and the message it gives is shown as is. A change reaches every web process
// within 5 s (docs/security.md, "Users and sessions").
export function UsersAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const me = useQuery(trpc.system.me.queryOptions());
  const [notice, setNotice] = useState<Notice>(null);
  const [confirmDisable, setConfirmDisable] = useState<string | null>(null);
  const [passwordFor, setPasswordFor] = useState<string | null>(null);
  const [handOverFor, setHandOverFor] = useState<string | null>(null);
  const hydrated = useHydrated();

  const refresh = () => qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const onError = (e: { message: string }) => setNotice({ kind: "error", text: errorText(e) });

  const create = useMutation(trpc.users.create.mutationOptions({ onError }));
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: (u) => {
        setNotice({ kind: "ok", text: `${u.email} is now ${u.role === "ADMIN" ? "an admin" : "a rep"}.` });
        void refresh();
      },
      onError,
    }),
  );
  const setDisabled = useMutation(
    trpc.users.setDisabled.mutationOptions({
      onSuccess: (u) => {
        setConfirmDisable(null);
        setNotice({ kind: "ok", text: u.disabledAt ? `${u.email} is disabled and signed out everywhere.` : `${u.email} is enabled and can sign in again.` });
        void refresh();
      },
      onError: (e) => {
        setConfirmDisable(null);
        onError(e);
      },
    }),
  );
  const setPassword = useMutation(
    trpc.users.setPassword.mutationOptions({
      onSuccess: (u) => {
        setPasswordFor(null);
        setNotice({ kind: "ok", text: `New password set for ${u.email}; their sessions have ended.` });
      },
      onError,
    }),
  );
  const handOver = useMutation(
    trpc.users.handOverCards.mutationOptions({
      onSuccess: (r, input) => {
        setHandOverFor(null);
        const to = users.data?.find((u) => u.id === input.toId)?.email ?? "them";
        setNotice({ kind: "ok", text: `${r.drafts} draft${r.drafts === 1 ? "" : "s"} and ${r.scans} card${r.scans === 1 ? "" : "s"} handed over to ${to}, who has 24 hours to review them.` });
        void refresh();
      },
      onError,
    }),
  );
  const busy = setRole.isPending || setDisabled.isPending;

  return (
    <section className="card space-y-4">
      <h2 className="font-medium">Users</h2>
      <ScrollX label="Users">
        <table className="min-w-full text-sm">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-2 pr-4">Name</th>
              <th className="py-2 pr-4">Email</th>
              <th className="py-2 pr-4">Role</th>
              <th className="py-2 pr-4">Status</th>
              <th className="py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => {
              const self = u.id === me.data?.id;
              const disabled = !!u.disabledAt;
              // Buttons are named by their text and described by the row's email (not named
              // with it): the visible text stays their name (WCAG 2.5.3), and the email cell
              // stays the only cell named by the email.
              return (
                <Fragment key={u.id}>
                  <tr className="border-t border-slate-100" data-testid={`user-row-${u.email}`}>
                    <td className="py-2 pr-4">{u.name}{self && <span className="ml-1 text-slate-600">(you)</span>}</td>
                    <td className="py-2 pr-4" id={`email-${u.id}`}>{u.email}</td>
                    <td className="py-2 pr-4">
                      {/* Your own role is not offered: the server would refuse it (409). */}
                      <select
                        aria-label={`Role of ${u.email}`}
                        className="input w-auto py-1"
                        value={u.role}
                        disabled={!hydrated || self || busy}
                        onChange={(e) => setRole.mutate({ id: u.id, role: e.target.value as Role })}
                      >
                        <option value="REP">Rep</option>
                        <option value="ADMIN">Admin</option>
                      </select>
                    </td>
                    <td className="py-2 pr-4">
                      {disabled ? <span className="badge bg-slate-200 text-slate-800">Disabled</span> : <span className="badge bg-emerald-50 text-emerald-800">Active</span>}
                      {u.pendingDrafts > 0 && (
                        <span className="mt-1 block text-xs text-slate-600" data-testid="pending-drafts">
                          {u.pendingDrafts} draft{u.pendingDrafts === 1 ? "" : "s"} waiting for review
                        </span>
                      )}
                    </td>
                    <td className="py-2">
                      <div className="flex flex-wrap gap-2">
                        {disabled ? (
                          <button type="button" className="btn-secondary py-1" aria-describedby={`email-${u.id}`} disabled={!hydrated || busy} onClick={() => setDisabled.mutate({ id: u.id, disabled: false })}>
                            Enable
                          </button>
                        ) : confirmDisable === u.id ? (
                          <>
                            {/* Drafts are private and expire: say so before the rep is gone. */}
                            {u.pendingDrafts > 0 && (
                              <span className="w-full text-xs text-amber-800" data-testid="disable-drafts-warning">
                                {u.pendingDrafts} draft{u.pendingDrafts === 1 ? "" : "s"} of theirs wait{u.pendingDrafts === 1 ? "s" : ""} for review and expire{u.pendingDrafts === 1 ? "s" : ""} within 24 hours: use Hand over cards to give them to a colleague.
                              </span>
                            )}
                            <button type="button" className="btn-danger py-1" aria-describedby={`email-${u.id}`} disabled={busy} onClick={() => setDisabled.mutate({ id: u.id, disabled: true })}>
                              Confirm disable
                            </button>
                            <button type="button" className="btn-secondary py-1" onClick={() => setConfirmDisable(null)}>Cancel</button>
                          </>
                        ) : (
                          <button type="button" className="btn-secondary py-1" aria-describedby={`email-${u.id}`} disabled={!hydrated || self || busy} onClick={() => setConfirmDisable(u.id)}>
                            Disable
                          </button>
                        )}
                        <button
                          type="button"
                          className="btn-secondary py-1"
                          aria-describedby={`email-${u.id}`}
                          aria-expanded={passwordFor === u.id}
                          disabled={!hydrated}
                          onClick={() => setPasswordFor(passwordFor === u.id ? null : u.id)}
                        >
                          Set password
                        </button>
                        {u.pendingDrafts > 0 && (
                          <button
                            type="button"
                            className="btn-secondary py-1"
                            aria-describedby={`email-${u.id}`}
                            aria-expanded={handOverFor === u.id}
                            disabled={!hydrated}
                            onClick={() => setHandOverFor(handOverFor === u.id ? null : u.id)}
                          >
                            Hand over cards
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                  {handOverFor === u.id && (
                    <tr>
                      <td colSpan={5} className="pb-3">
                        <form
                          className="flex flex-wrap items-end gap-2"
                          onSubmit={(e) => {
                            e.preventDefault();
                            handOver.mutate({ id: u.id, toId: String(new FormData(e.currentTarget).get("to")) });
                          }}
                        >
                          <div>
                            <label className="label" htmlFor={`to-${u.id}`}>Give {u.email}&apos;s {u.pendingDrafts} waiting draft{u.pendingDrafts === 1 ? "" : "s"} and unfinished cards to</label>
                            <select id={`to-${u.id}`} name="to" className="input" required defaultValue="">
                              <option value="" disabled>Choose a colleague</option>
                              {users.data.filter((o) => o.id !== u.id && !o.disabledAt).map((o) => <option key={o.id} value={o.id}>{o.name} ({o.email})</option>)}
                            </select>
                          </div>
                          <button className="btn-primary" disabled={handOver.isPending}>Hand over</button>
                        </form>
                      </td>
                    </tr>
                  )}
                  {passwordFor === u.id && (
                    <tr>
                      <td colSpan={5} className="pb-3">
                        {/* POST and shown only once hydrated: the password never reaches a URL. */}
                        <form
                          method="post"
                          className="flex flex-wrap items-end gap-2"
                          onSubmit={(e) => {
                            e.preventDefault();
                            const f = new FormData(e.currentTarget);
                            setPassword.mutate({ id: u.id, password: String(f.get("new-password")) });
                          }}
                        >
                          <div>
                            <label className="label" htmlFor={`pw-${u.id}`}>New password for {u.email}</label>
                            <input id={`pw-${u.id}`} name="new-password" type="password" autoComplete="new-password" className="input" required minLength={8} maxLength={200} />
                          </div>
                          <button className="btn-primary" disabled={setPassword.isPending}>Save password</button>
                        </form>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </ScrollX>
      {/* POST and disabled until hydrated: a new user's password never reaches a URL. */}
      <form
        method="post"
        className="grid gap-3 sm:grid-cols-5"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          create.mutate(
            {
              name: String(f.get("name")),
              email: String(f.get("email")),
              password: String(f.get("password")),
              role: f.get("role") === "ADMIN" ? "ADMIN" : "REP",
            },
            {
              // Cleared only on success (a refused email keeps what was typed, to correct it),
              // so the password does not linger in the page.
              onSuccess: (u) => {
                form.reset();
                setNotice({ kind: "ok", text: `Added ${u.email}` });
                void refresh();
              },
            },
          );
        }}
      >
        <input name="name" placeholder="Name" aria-label="Name" className="input" required />
        <input name="email" type="email" placeholder="Email" aria-label="Email" className="input" required />
        <input name="password" type="password" placeholder="Password (8+)" aria-label="Password" autoComplete="new-password" className="input" required minLength={8} />
        <select name="role" aria-label="Role" className="input" defaultValue="REP"><option value="REP">Rep</option><option value="ADMIN">Admin</option></select>
        <button className="btn-primary" disabled={!hydrated || create.isPending}>Add user</button>
      </form>
      {notice?.kind === "error" && <p role="alert" className="text-sm text-rose-700">{notice.text}</p>}
      <p role="status" className="text-sm text-emerald-800">{notice?.kind === "ok" ? notice.text : ""}</p>
    </section>
  );
}
