"use client";
import { MAX_TAGS } from "@/server/contacts/tags";
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import { SOURCE_LABELS } from "../labels";
import { MailStatusSection } from "./mail-status";
import { formatPhone, linkedinHref, mailtoHref, telHref, webHref } from "@/server/contacts/contact-links";
import { OtherPhonesField, fieldErrorsOf, toInput, toRows, type OtherPhoneRow } from "../other-phones-field";

const FIELDS = [
  ["fullName", "Full name", "text", 200],
  ["title", "Title", "text", 200],
  ["company", "Company", "text", 200],
  ["email", "Email", "email", 254],
  ["phone", "Phone", "tel", 40],
  ["website", "Website", "text", 500],
  ["linkedinUrl", "LinkedIn URL", "text", 500],
  ["address", "Address", "text", 500],
] as const;
type FieldKey = (typeof FIELDS)[number][0] | "notes";
/** FIELD_LIMITS.tags (server/contacts/normalize.ts, which the browser cannot import); the server has the last word. */

export function ContactDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const contact = useQuery(trpc.contacts.get.queryOptions({ id }));
  const owners = useQuery({ ...trpc.contacts.owners.queryOptions(), enabled: !!contact.data?.canReassign });
  const [form, setForm] = useState<Record<FieldKey, string>>({} as Record<FieldKey, string>);
  const [tags, setTags] = useState<string[]>([]);
  const [newTag, setNewTag] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [otherPhones, setOtherPhones] = useState<OtherPhoneRow[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  useEffect(() => {
    const c = contact.data;
    if (!c) return;
    setForm(Object.fromEntries([...FIELDS.map(([k]) => [k, c[k] ?? ""]), ["notes", c.notes ?? ""]]) as Record<FieldKey, string>);
    setTags(c.tags);
    setOwnerId(c.ownerId);
    setOtherPhones(toRows(c.otherPhones));
  }, [contact.data]);

  const update = useMutation(
    trpc.contacts.update.mutationOptions({
      onSuccess: () => {
        setMessage({ kind: "ok", text: "Saved" });
        setFieldErrors({});
        qc.invalidateQueries({ queryKey: trpc.contacts.get.queryKey({ id }) });
        qc.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
        // A changed email address has its own mail status.
        qc.invalidateQueries({ queryKey: trpc.contacts.mailStatus.queryKey({ id }) });
      },
      onError: (e) => {
        setMessage({ kind: "error", text: e.message });
        setFieldErrors(fieldErrorsOf(e));
      },
    }),
  );
  const remove = useMutation(
    trpc.contacts.delete.mutationOptions({
      onSuccess: () => {
        qc.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
        router.push("/contacts");
      },
      onError: (e) => setMessage({ kind: "error", text: e.message }),
    }),
  );

  // Messages for the tags field: "tags" and its entries ("tags.3": one tag too long).
  const tagErrors = Object.entries(fieldErrors).flatMap(([path, messages]) => (path === "tags" || path.startsWith("tags.") ? messages : []));
  const overLimit = tags.length > MAX_TAGS;
  const addTag = () => {
    const t = newTag.trim().toLowerCase().replace(/\s+/g, " ");
    if (t && !tags.includes(t) && tags.length < MAX_TAGS) setTags([...tags, t]);
    setNewTag("");
  };

  if (contact.isLoading) return <p className="text-sm text-slate-500">Loading…</p>;
  if (contact.isError) return <p role="alert" className="card text-sm text-rose-700">{contact.error.message}</p>;
  const c = contact.data!;
  const readOnly = !c.canEdit;

  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <form
        className="card space-y-4 lg:col-span-2"
        aria-label="Contact details"
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          const nul = (v: string) => (v.trim() ? v : null);
          update.mutate({
            id,
            fullName: form.fullName,
            title: nul(form.title), company: nul(form.company), email: nul(form.email), phone: nul(form.phone),
            website: nul(form.website), linkedinUrl: nul(form.linkedinUrl), address: nul(form.address), notes: nul(form.notes),
            otherPhones: toInput(otherPhones),
            tags,
            ...(c.canReassign && ownerId !== c.ownerId ? { ownerId } : {}),
          });
        }}
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-semibold break-words" data-testid="contact-name">{c.fullName}</h1>
          {readOnly && <span className="badge bg-amber-100 text-amber-800" data-testid="read-only">Read only: owned by {c.owner.name}</span>}
        </div>
        <div className="flex flex-wrap items-start gap-2">
          <QuickActions phone={c.phone} email={c.email} website={c.website} linkedinUrl={c.linkedinUrl} />
          {/* One tap puts the card in the phone's address book: a .vcf download opens "Add
              contact" on iOS and Android (the same export as the list's, for this one id). */}
          <a className={`${TAP} text-sm`} href={`/api/contacts/export?format=vcf&ids=${c.id}`} data-testid="save-vcard">Save to phone (vCard)</a>
        </div>
        <fieldset disabled={readOnly} className="grid gap-3 sm:grid-cols-2">
          {FIELDS.map(([key, label, type, max]) => (
            <div key={key}>
              <label className="label" htmlFor={`c-${key}`}>{label}</label>
              <input
                id={`c-${key}`}
                type={type === "email" ? "text" : type}
                className="input disabled:bg-slate-50"
                maxLength={max}
                required={key === "fullName"}
                value={form[key] ?? ""}
                onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
              />
            </div>
          ))}
          <div className="sm:col-span-2">
            <OtherPhonesField id="c-other" rows={otherPhones} onChange={setOtherPhones} readOnly={readOnly} errors={fieldErrors} />
          </div>
          <div className="sm:col-span-2">
            <label className="label" htmlFor="c-notes">Notes</label>
            <textarea id="c-notes" className="input min-h-28 disabled:bg-slate-50" maxLength={10000} value={form.notes ?? ""} onChange={(e) => setForm((f) => ({ ...f, notes: e.target.value }))} />
          </div>
          <div className="sm:col-span-2">
            <span className="label">Tags</span>
            <div className="flex flex-wrap items-center gap-2" data-testid="tags">
              {tags.map((t) => (
                <span key={t} className="badge bg-slate-100 text-slate-700">
                  {t}
                  {!readOnly && <button type="button" aria-label={`Remove tag ${t}`} className="text-slate-500 hover:text-rose-600" onClick={() => { setTags(tags.filter((x) => x !== t)); setFieldErrors((f) => Object.fromEntries(Object.entries(f).filter(([k]) => k !== "tags" && !k.startsWith("tags.")))); }}>×</button>}
                </span>
              ))}
              {!readOnly && (
                <>
                  <input
                    className="input w-36"
                    aria-label="New tag"
                    placeholder="add a tag"
                    maxLength={40}
                    value={newTag}
                    onChange={(e) => setNewTag(e.target.value)}
                    aria-invalid={tagErrors.length ? true : undefined}
                    aria-describedby={tagErrors.length || overLimit ? "c-tags-error" : undefined}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        e.preventDefault();
                        addTag();
                      }
                    }}
                  />
                  <button type="button" className="btn-secondary" disabled={tags.length >= MAX_TAGS} onClick={addTag}>Add tag</button>
                </>
              )}
            </div>
            {!readOnly && (tagErrors.length > 0 || overLimit) ? (
              // The server's message for the tags field (a save refused), else what the page sees itself: a contact
              // with more tags than allowed (old data) saves once enough are removed.
              <p id="c-tags-error" className="mt-1 text-sm text-rose-700" data-testid="tags-error">
                {tagErrors.length ? tagErrors.join(" ") : `A contact can have at most ${MAX_TAGS} tags; this one has ${tags.length}. Remove ${tags.length - MAX_TAGS} to save it.`}
              </p>
            ) : (
              !readOnly && tags.length >= MAX_TAGS && <p className="mt-1 text-xs text-slate-500">At most {MAX_TAGS} tags.</p>
            )}
          </div>
          <div>
            <label className="label" htmlFor="c-owner">Owner</label>
            {c.canReassign ? (
              <select id="c-owner" className="input" value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
                {/* Active users, and the current owner even if disabled (marked, so the select shows who has it now). */}
                {(owners.data ?? [{ ...c.owner, disabled: false }]).filter((o) => !o.disabled || o.id === c.ownerId).map((o) => (
                  <option key={o.id} value={o.id} disabled={o.disabled}>{o.name} ({o.email}){o.disabled ? " (disabled)" : ""}</option>
                ))}
              </select>
            ) : (
              <p id="c-owner" className="text-sm text-slate-700">{c.owner.name}</p>
            )}
          </div>
        </fieldset>
        {!readOnly && (
          <div className="flex flex-wrap gap-2">
            <button className="btn-primary" disabled={update.isPending}>Save</button>
            <button type="button" className="btn-danger" disabled={remove.isPending} onClick={() => { if (confirm("Delete this contact?")) remove.mutate({ id }); }}>Delete</button>
          </div>
        )}
        {message && <p role={message.kind === "error" ? "alert" : "status"} className={`text-sm ${message.kind === "error" ? "text-rose-700" : "text-emerald-700"}`}>{message.text}</p>}
      </form>

      <div className="space-y-4">
        <section className="card space-y-2" aria-label="Origin">
          <h2 className="font-medium">Where it came from</h2>
          <p className="text-sm"><span className="badge bg-indigo-50 text-indigo-700" data-testid="contact-source">{SOURCE_LABELS[c.source] ?? c.source}</span></p>
          <p className="text-xs text-slate-500">Added {new Date(c.createdAt).toLocaleString()}{c.importId ? " by a file import" : ""}</p>
          {c.scanId && (
            <a href={`/api/scans/${c.scanId}/image`} target="_blank" rel="noreferrer" className="block" data-testid="scan-photo">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={`/api/scans/${c.scanId}/image`} alt="Original card photo" className="max-h-48 w-full rounded border border-slate-200 object-contain" loading="lazy" />
              <span className="text-sm text-indigo-700 hover:underline">Open the original card photo</span>
            </a>
          )}
          {c.otherCards.length > 0 && (
            <div className="space-y-1" data-testid="other-cards">
              <h3 className="text-sm font-medium">{c.scanId ? "Other cards" : "Cards"}</h3>
              <ul className="flex flex-wrap gap-2">
                {c.otherCards.map((card) => (
                  <li key={card.id}>
                    <a href={`/api/scans/${card.id}/image`} target="_blank" rel="noreferrer" className="block w-28 text-xs text-indigo-700 hover:underline">
                      {/* eslint-disable-next-line @next/next/no-img-element */}
                      <img src={`/api/scans/${card.id}/image`} alt={`Card scanned ${new Date(card.createdAt).toLocaleDateString()}`} className="h-16 w-28 rounded border border-slate-200 object-contain" loading="lazy" />
                      Scanned {new Date(card.createdAt).toLocaleDateString()}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
        <MailStatusSection id={id} />
        <section className="card space-y-2" aria-label="Campaigns" data-testid="campaigns">
          <h2 className="font-medium">Campaigns</h2>
          {c.campaigns.length === 0 ? (
            <p className="text-sm text-slate-600">No campaigns yet.</p>
          ) : (
            <ul className="text-sm">
              {c.campaigns.map((k) => <li key={k.campaignId}>{k.name} · {k.status}</li>)}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

/** The contact's one-tap actions: 44 px tall on a phone, compact from the sm breakpoint up. */
const TAP = "btn-secondary py-3 sm:py-1";

/**
 * Call, email or open the contact's site in one tap (a rep at an event, on a phone). Made from
 * the saved values, and only from values that are what they claim (server/contacts/contact-links.ts).
 */
function QuickActions({ phone, email, website, linkedinUrl }: { phone: string | null; email: string | null; website: string | null; linkedinUrl: string | null }) {
  const tel = telHref(phone);
  const mail = mailtoHref(email);
  const web = webHref(website);
  const linkedin = linkedinHref(linkedinUrl);
  if (!tel && !mail && !web && !linkedin) return null;
  const external = { target: "_blank", rel: "noopener noreferrer" } as const;
  return (
    // py-3 on a phone: a 44 px tap target (the touch guideline), as a rep calls with a thumb; compact from sm up.
    <div className="flex flex-wrap gap-2 text-sm" data-testid="quick-actions">
      {tel && <a className={TAP} href={tel}>Call {formatPhone(phone!)}</a>}
      {mail && <a className={TAP} href={mail}>Email</a>}
      {web && <a className={TAP} href={web} {...external}>Website</a>}
      {linkedin && <a className={TAP} href={linkedin} {...external}>LinkedIn</a>}
    </div>
  );
}
