"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_trpc/client";

/** Link a Telegram chat: a one-time code (10 minutes) and a t.me deep link. */
export function TelegramLinkCard() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.telegram.status.queryOptions());
  const [code, setCode] = useState<{ code: string; deepLink: string | null; expiresAt: Date } | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.telegram.status.queryKey() });
  const create = useMutation(trpc.telegram.createLinkCode.mutationOptions({ onSuccess: setCode }));
  const unlink = useMutation(trpc.telegram.unlink.mutationOptions({ onSuccess: () => { setCode(null); void refresh(); } }));
  const s = status.data;
  return (
    <section className="card space-y-3" data-testid="telegram-card">
      <h2 className="font-medium">Telegram</h2>
      {!s ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : !s.enabled ? (
        <p className="text-sm text-slate-600">The Telegram bot is not set up on this server. An admin can enable it with TELEGRAM_BOT_TOKEN.</p>
      ) : s.linked ? (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span className="badge bg-emerald-100 text-emerald-800" data-testid="telegram-linked">linked{s.username ? ` as @${s.username}` : ""}</span>
          <span className="text-slate-600">Send card photos or signatures to the bot; drafts appear here.</span>
          <button type="button" className="btn-secondary py-1" onClick={() => unlink.mutate()} disabled={unlink.isPending}>Unlink</button>
        </div>
      ) : (
        <div className="space-y-2 text-sm">
          <p className="text-slate-600">Send business cards from your phone: link your Telegram chat, then send the bot a photo.</p>
          {code ? (
            <div className="space-y-1 rounded-lg bg-slate-50 p-3">
              {code.deepLink && <a href={code.deepLink} className="font-medium text-indigo-700 hover:underline" target="_blank" rel="noreferrer">Open the bot and press Start</a>}
              <p>Or send the bot: <code className="rounded bg-white px-1" data-testid="telegram-code">/start {code.code}</code></p>
              <p className="text-xs text-slate-500">Valid for 10 minutes. <button type="button" className="text-indigo-700 hover:underline" onClick={() => void refresh()}>I have linked it</button></p>
            </div>
          ) : (
            <button type="button" className="btn-primary" onClick={() => create.mutate()} disabled={create.isPending}>Link Telegram</button>
          )}
        </div>
      )}
    </section>
  );
}
