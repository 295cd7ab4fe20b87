"use client";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { useHydrated } from "@/app/_lib/use-hydrated";
import { OtherPhonesField, fieldErrorsOf, toInput, type OtherPhoneRow } from "./other-phones-field";

export function NewContactForm({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  // Server-rendered closed: until hydrated a click could not open the form, so say "not yet".
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const [otherPhones, setOtherPhones] = useState<OtherPhoneRow[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const create = useMutation(
    trpc.contacts.create.mutationOptions({
      onSuccess: () => {
        setError(null);
        setFieldErrors({});
        setOtherPhones([]);
        setOpen(false);
        onCreated();
      },
      onError: (e) => {
        setError(e.message);
        setFieldErrors(fieldErrorsOf(e));
      },
    }),
  );
  if (!open) {
    return <button className="btn-primary" disabled={!hydrated} onClick={() => setOpen(true)}>New contact</button>;
  }
  return (
    <form
      className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-3"
      aria-label="New contact"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const v = (k: string) => String(f.get(k) ?? "").trim() || undefined;
        create.mutate({ fullName: v("fullName") ?? "", company: v("company"), title: v("title"), email: v("email"), phone: v("phone"), otherPhones: toInput(otherPhones) });
      }}
    >
      <div><label className="label" htmlFor="n-name">Full name</label><input id="n-name" name="fullName" className="input" required maxLength={200} /></div>
      <div><label className="label" htmlFor="n-company">Company</label><input id="n-company" name="company" className="input" maxLength={200} /></div>
      <div><label className="label" htmlFor="n-title">Title</label><input id="n-title" name="title" className="input" maxLength={200} /></div>
      <div><label className="label" htmlFor="n-email">Email</label><input id="n-email" name="email" type="email" className="input" maxLength={254} /></div>
      <div><label className="label" htmlFor="n-phone">Phone</label><input id="n-phone" name="phone" type="tel" className="input" maxLength={40} /></div>
      <div className="sm:col-span-2 lg:col-span-3">
        <OtherPhonesField id="n-other" rows={otherPhones} onChange={setOtherPhones} readOnly={false} errors={fieldErrors} />
      </div>
      <div className="flex items-end gap-2">
        <button className="btn-primary" disabled={create.isPending}>Add contact</button>
        <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>Cancel</button>
      </div>
      {error && <p role="alert" className="text-sm text-rose-700 sm:col-span-2 lg:col-span-3">{error}</p>}
    </form>
  );
}
