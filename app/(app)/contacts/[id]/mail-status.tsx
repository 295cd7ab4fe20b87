"use client";
// "Mail status" on a contact's page: whether campaigns reach this contact's address, and if
// not, since when and why (server/contacts/mail-status.ts). Everyone sees it; an admin can
// lift an unsubscribe or a bounce after a confirmation that says what that means.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";
import type { MailStatus } from "@/server/contacts/mail-status";

const dateOf = (d: Date | string) => new Date(d).toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" });

function When({ at }: { at: Date | string | null }) {
  if (!at) return null;
  return <time dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString()}>{dateOf(at)}</time>;
}

function StatusLine({ s }: { s: MailStatus }) {
  switch (s.status) {
    case "receives":
      return <span className="text-emerald-700">Receives campaigns</span>;
    case "no_email":
      return <span className="text-slate-600">No email address: campaigns skip this contact</span>;
    case "invalid_email":
      return <span className="text-amber-800">The email address is not valid: campaigns skip it</span>;
    case "unsubscribed":
      return (
        <span className="text-rose-700">
          Unsubscribed on <When at={s.since} /> ({s.campaign ? <>via the link in <em className="not-italic font-medium">{s.campaign.name}</em></> : "via the link in an email"})
        </span>
      );
    case "bounced":
      return <span className="text-rose-700">Bounced on <When at={s.since} />{s.detail ? `: ${s.detail}` : ""}</span>;
    case "suppressed":
      return <span className="text-rose-700">Not mailed since <When at={s.since} />{s.detail ? `: ${s.detail}` : ""}</span>;
  }
}

/** What the admin must read before lifting it: an unsubscribe is the person's own request. */
function confirmText(s: MailStatus): string {
  const others = s.sameAddressContacts
    ? `\n\n${s.sameAddressContacts} other contact${s.sameAddressContacts === 1 ? " has" : "s have"} the same address and will receive campaigns again too.`
    : "";
  if (s.status === "unsubscribed") {
    return `${s.email} asked not to receive campaign emails (unsubscribed on ${dateOf(s.since!)}).\n\nOnly allow mail again if they asked for it, for example because they clicked the link by mistake.${others}\n\nAllow campaign mail to ${s.email} again?`;
  }
  return `Campaigns stopped mailing ${s.email} because ${s.status === "bounced" ? "their mail server refused it as a permanent failure" : "it was suppressed"}.\n\nIf the address works again, the next campaign mails it; if it bounces again it is suppressed again.${others}\n\nAllow campaign mail to ${s.email} again?`;
}

export function MailStatusSection({ id }: { id: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.contacts.mailStatus.queryOptions({ id }));
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const allow = useMutation(
    trpc.contacts.allowMail.mutationOptions({
      onSuccess: (r) => {
        setMessage({ kind: "ok", text: r.message });
        qc.setQueryData(trpc.contacts.mailStatus.queryKey({ id }), r.mailStatus);
        qc.invalidateQueries({ queryKey: trpc.contacts.list.pathKey() });
      },
      onError: (e) => {
        setMessage({ kind: "error", text: e.message });
        // A 409 means the address changed under us: show the current state.
        qc.invalidateQueries({ queryKey: trpc.contacts.mailStatus.queryKey({ id }) });
      },
    }),
  );
  const s = status.data;
  const suppressed = s && (s.status === "unsubscribed" || s.status === "bounced" || s.status === "suppressed");

  return (
    <section className="card space-y-2" aria-label="Mail status" data-testid="mail-status">
      <h2 className="font-medium">Mail status</h2>
      {status.isLoading ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : status.isError ? (
        <p role="alert" className="text-sm text-rose-700">{status.error.message}</p>
      ) : (
        <>
          <p className="text-sm break-words" data-testid="mail-status-line" data-status={s!.status}><StatusLine s={s!} /></p>
          {suppressed && s!.canAllow && (
            <button
              type="button"
              className="btn-secondary"
              disabled={allow.isPending}
              onClick={() => {
                setMessage(null);
                if (confirm(confirmText(s!))) allow.mutate({ id, email: s!.email! });
              }}
            >
              Allow campaign mail again
            </button>
          )}
          {suppressed && !s!.canAllow && <p className="text-xs text-slate-500">Only an admin can allow campaign mail to this address again.</p>}
        </>
      )}
      {message && <p role={message.kind === "error" ? "alert" : "status"} className={`text-sm ${message.kind === "error" ? "text-rose-700" : "text-emerald-700"}`}>{message.text}</p>}
    </section>
  );
}
