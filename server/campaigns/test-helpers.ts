// Test helpers for campaigns: bulk contacts through SQL, a campaign through the API,
// and a wait for a campaign to reach a final state.
import { randomUUID } from "node:crypto";
import { getDb } from "../db";
import { waitFor } from "../testing/worker-process";
import type { Actor } from "../trpc/context";
import { callerFor } from "../testing/fixtures";
import { getCampaign } from "./campaign-view";

/** Inserts n contacts with addresses `<prefix>-<i>@example.test`; returns their ids. */
export async function makeContacts(n: number, opts: { ownerId: string; tag?: string; prefix?: string; emailOf?: (i: number) => string | null }): Promise<{ ids: string[]; emails: string[]; prefix: string }> {
  const prefix = opts.prefix ?? `c${randomUUID().slice(0, 8)}`;
  const emails = Array.from({ length: n }, (_, i) => (opts.emailOf ? opts.emailOf(i + 1) : `${prefix}-${i + 1}@example.test`));
  const names = Array.from({ length: n }, (_, i) => `Person${i + 1} ${prefix}`);
  const rows = await getDb().$queryRaw<{ id: string }[]>`
    INSERT INTO "Contact" ("id", "fullName", "company", "email", "ownerId", "tags", "source", "updatedAt")
    SELECT gen_random_uuid(), n, 'Acme ' || ${prefix}, e, ${opts.ownerId}::uuid, ${opts.tag ? [opts.tag] : []}::text[], 'manual', now()
    FROM unnest(${names}::text[], ${emails}::text[]) AS v(n, e)
    RETURNING "id"`;
  return { ids: rows.map((r) => r.id), emails: emails.filter((e): e is string => !!e).map((e) => e.toLowerCase()), prefix };
}

export async function makeCampaign(admin: Actor, tag: string, over: Partial<{ subject: string; html: string; text: string; name: string }> = {}) {
  return callerFor(admin).campaigns.create({
    name: over.name ?? `Campaign ${tag}`,
    fromName: "Sales Team",
    fromEmail: "sales@acme.test",
    subject: over.subject ?? "Hello {{firstName}}",
    html: over.html ?? "<p>Hi {{firstName}} from {{company}}</p><p><a href=\"{{unsubscribeUrl}}\">Unsubscribe</a></p>",
    text: over.text ?? "Hi {{firstName}}\nUnsubscribe: {{unsubscribeUrl}}",
    audience: { kind: "tag", tag },
  });
}

export const FINAL = new Set(["SENT", "SENT_WITH_ERRORS", "CANCELLED"]);

export async function waitForFinal(id: string, timeoutMs = 120_000) {
  return waitFor(async () => {
    const c = await getCampaign(getDb(), id);
    return FINAL.has(c.status) ? c : undefined;
  }, `campaign ${id} to finish`, timeoutMs, 200);
}

export async function recipientRows(campaignId: string) {
  return getDb().campaignRecipient.findMany({ where: { campaignId }, orderBy: { email: "asc" } });
}
