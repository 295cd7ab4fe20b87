"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { useHydrated } from "@/app/_lib/use-hydrated";
import { ScrollX } from "@/app/_components/scroll-x";

export function UsersAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions());
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => {
        setError(null);
        qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
      onError: (e) => setError(e.message),
    }),
  );

  return (
    <section className="card space-y-4">
      <h2 className="font-medium">Users</h2>
      <ScrollX label="Users">
        <table className="min-w-full text-sm">
          <thead className="text-left text-slate-500">
            <tr><th className="py-2 pr-4">Name</th><th className="py-2 pr-4">Email</th><th className="py-2">Role</th></tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id} className="border-t border-slate-100">
                <td className="py-2 pr-4">{u.name}</td>
                <td className="py-2 pr-4">{u.email}</td>
                <td className="py-2">{u.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollX>
      {/* POST and disabled until hydrated: a new user's password never reaches a URL. */}
      <form
        method="post"
        className="grid gap-3 sm:grid-cols-5"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          create.mutate({
            name: String(f.get("name")),
            email: String(f.get("email")),
            password: String(f.get("password")),
            role: f.get("role") === "ADMIN" ? "ADMIN" : "REP",
          });
        }}
      >
        <input name="name" placeholder="Name" aria-label="Name" className="input" required />
        <input name="email" type="email" placeholder="Email" aria-label="Email" className="input" required />
        <input name="password" type="password" placeholder="Password (8+)" aria-label="Password" className="input" required minLength={8} />
        <select name="role" aria-label="Role" className="input" defaultValue="REP"><option value="REP">Rep</option><option value="ADMIN">Admin</option></select>
        <button className="btn-primary" disabled={!hydrated || create.isPending}>Add user</button>
      </form>
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </section>
  );
}
