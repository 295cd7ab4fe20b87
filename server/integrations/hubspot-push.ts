// "Push to HubSpot": contacts are batch-upserted by email through @hubspot/api-client.
// HubSpot takes at most 100 per call, so the API side queues jobs of ≤ 100 contacts.
// The worker respects HubSpot's limits: a shared limiter, 429 with Retry-After honoured,
// 5xx retried with backoff, a 400 for one bad record split so the rest still sync, and
// a revoked token marking the batch failed without retrying.
import { Client } from "@hubspot/api-client";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { Prisma, type Db } from "../db";
import { getEnv } from "../env";
import { getReadyRedis } from "../redis";
import { AppError } from "../errors";
import { enqueueHubspotPush } from "../queues/definitions";
import { readHubspotToken } from "./hubspot-settings";
import { toHubspotProperties } from "./hubspot-mapping";

// Private apps may make 100 requests per 10 s; keep a margin for other tools on the account.
const LIMIT = { points: 90, duration: 10 };
const MAX_429_WAITS = 5;

export async function requestHubspotPush(db: Db, target: { contactIds?: string[]; all?: boolean; failedOnly?: boolean }) {
  if (!(await readHubspotToken(db))) throw new AppError("CONFLICT", "Save a HubSpot private-app token first.");
  const where = target.failedOnly ? { crmSyncState: "failed" as const } : target.all ? {} : { id: { in: target.contactIds ?? [] } };
  const ids = (await db.contact.findMany({ where, select: { id: true }, orderBy: { createdAt: "asc" } })).map((c) => c.id);
  if (!ids.length) throw new AppError("VALIDATION", "No contacts to push.");
  await setSyncState(db, ids, "pending", null);
  try {
    await enqueueHubspotPush(ids);
  } catch (cause) {
    await setSyncState(db, ids, "failed", "The job queue was unavailable", { onlyIf: "pending" });
    throw new AppError("UNAVAILABLE", "The job queue is unavailable. Try again shortly.", { cause, retryAfter: 5 });
  }
  return { queued: ids.length };
}

let limiter: RateLimiterRedis | undefined;
async function takeSlot(): Promise<void> {
  limiter ??= new RateLimiterRedis({ storeClient: await getReadyRedis(), keyPrefix: `${getEnv().QUEUE_PREFIX}:rl:hubspot`, ...LIMIT });
  for (;;) {
    try {
      await limiter.consume("api");
      return;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      await sleep(e.msBeforeNext);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HubspotError { code: number; body?: unknown; headers?: Record<string, string>; message: string }
const asHubspotError = (e: unknown): HubspotError | null => (typeof (e as HubspotError)?.code === "number" ? (e as HubspotError) : null);

function reason(e: HubspotError): string {
  const body = e.body as { message?: string } | string | undefined;
  const msg = typeof body === "string" ? body : body?.message;
  return `HubSpot ${e.code}: ${msg ?? e.message}`.slice(0, 500);
}

type Contact = Awaited<ReturnType<Db["contact"]["findMany"]>>[number];

export type PushOutcome = { synced: number; failed: number };

/** Worker side: one batch of ≤ 100 contacts. Throws on 5xx/network errors for a retry. */
export async function pushContactsToHubspot(db: Db, contactIds: string[], attempt: { number: number; max: number }): Promise<PushOutcome> {
  const contacts = await db.contact.findMany({ where: { id: { in: contactIds } } });
  const token = await readHubspotToken(db);
  if (!token) {
    await markFailed(db, contacts.map((c) => c.id), "No HubSpot token is saved");
    return { synced: 0, failed: contacts.length };
  }
  const client = new Client({ accessToken: token, basePath: getEnv().HUBSPOT_API_BASE, numberOfApiCallRetries: 0 });
  const noEmail = contacts.filter((c) => !c.email);
  await markFailed(db, noEmail.map((c) => c.id), "HubSpot matches contacts by email; this contact has none");
  const withEmail = contacts.filter((c) => c.email);
  const outcome: PushOutcome = { synced: 0, failed: noEmail.length };
  try {
    await upsertGroup(db, client, withEmail, outcome);
  } catch (e) {
    const he = asHubspotError(e);
    if (attempt.number >= attempt.max || (he && he.code < 500 && he.code !== 429)) {
      await markFailed(db, withEmail.map((c) => c.id), he ? reason(he) : (e as Error).message);
      outcome.failed += withEmail.length;
      return outcome;
    }
    throw e;
  }
  return outcome;
}

async function upsertGroup(db: Db, client: Client, group: Contact[], outcome: PushOutcome): Promise<void> {
  if (!group.length) return;
  for (let waits = 0; ; waits++) {
    await takeSlot();
    try {
      const res = await client.crm.contacts.batchApi.upsert({
        inputs: group.map((c) => ({ id: c.email!.toLowerCase(), idProperty: "email", properties: toHubspotProperties(c) })),
      });
      const byEmail = new Map(res.results.map((r) => [String(r.properties?.email ?? "").toLowerCase(), r.id]));
      for (const c of group) {
        const hubspotId = byEmail.get(c.email!.toLowerCase());
        if (hubspotId) {
          await db.$executeRaw`
            UPDATE "Contact" SET "hubspotId" = ${hubspotId}, "crmSyncState" = 'synced', "crmSyncError" = NULL, "crmSyncedAt" = now()
            WHERE "id" = ${c.id}::uuid`;
          outcome.synced++;
        } else {
          await markFailed(db, [c.id], "HubSpot did not return this contact");
          outcome.failed++;
        }
      }
      return;
    } catch (e) {
      const he = asHubspotError(e);
      if (he?.code === 429 && waits < MAX_429_WAITS) {
        const retryAfter = Number(he.headers?.["retry-after"] ?? he.headers?.["Retry-After"] ?? 1);
        await sleep(Math.min(60, Math.max(0.1, retryAfter)) * 1000);
        continue;
      }
      if (he?.code === 400 && group.length > 1) {
        // One bad record fails the whole call: send them one by one so the rest sync.
        for (const c of group) await upsertGroup(db, client, [c], outcome);
        return;
      }
      if (he?.code === 400) {
        await markFailed(db, [group[0].id], reason(he));
        outcome.failed++;
        return;
      }
      if (he?.code === 401 || he?.code === 403) {
        throw Object.assign(new Error("HubSpot rejected the token (revoked, expired, or missing the crm.objects.contacts.write scope)"), { code: he.code, body: { message: "HubSpot rejected the token (revoked, expired, or missing the crm.objects.contacts.write scope)" } });
      }
      throw e;
    }
  }
}

async function markFailed(db: Db, ids: string[], message: string) {
  await setSyncState(db, ids, "failed", message);
}

// The sync bookkeeping is written in SQL, not through Prisma: Prisma sets Contact."updatedAt" (@updatedAt) on every
// update, and "updatedAt" means "someone changed this contact" (imports.undo keeps a contact whose "updatedAt" moved
// since the import; docs/contacts.md "Undo"). A push is not a change to the contact, so it leaves "updatedAt" alone.
async function setSyncState(db: Db, ids: string[], state: "pending" | "failed", error: string | null, opts: { onlyIf?: "pending" } = {}) {
  if (!ids.length) return;
  await db.$executeRaw`
    UPDATE "Contact" SET "crmSyncState" = ${state}::crm_sync_state, "crmSyncError" = ${error}
    WHERE "id" = ANY(${ids}::uuid[]) ${opts.onlyIf ? Prisma.sql`AND "crmSyncState" = ${opts.onlyIf}::crm_sync_state` : Prisma.empty}`;
}
