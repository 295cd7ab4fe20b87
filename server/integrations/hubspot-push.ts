// "Push to HubSpot" through @hubspot/api-client: contacts already linked to a HubSpot record are batch-updated by
// its id, the others batch-upserted by email.
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

/** What one job has settled so far; a retry after a 5xx starts over, which is safe (updates are idempotent). */
class Tally {
  readonly settled = new Set<string>();
  synced = 0;
  failed = 0;
  async synced1(db: Db, c: Contact, hubspotId: string) {
    await db.$executeRaw`
      UPDATE "Contact" SET "hubspotId" = ${hubspotId}, "crmSyncState" = 'synced', "crmSyncError" = NULL, "crmSyncedAt" = now()
      WHERE "id" = ${c.id}::uuid`;
    this.settled.add(c.id);
    this.synced++;
  }
  async failed1(db: Db, c: Contact, message: string) {
    await markFailed(db, [c.id], message);
    this.settled.add(c.id);
    this.failed++;
  }
}

/** Worker side: one batch of ≤ 100 contacts. Throws on 5xx/network errors for a retry.
 *  A contact already linked to a HubSpot record (hubspotId, stored by an earlier push) is updated by that record's
 *  id, so an email changed in the app changes the email of the same HubSpot contact instead of creating a second
 *  one. A contact never pushed is upserted by email. A linked record deleted in HubSpot since is found again (or
 *  made again) by email. Only the fields the contact has are sent: sending "" for the others wiped what people
 *  entered in HubSpot (a mobile after a call, an address) on every later push, since the app cannot tell a field
 *  cleared in the app from one it never had (review of this change); a field cleared in the app is cleared in
 *  HubSpot by hand. */
export async function pushContactsToHubspot(db: Db, contactIds: string[], attempt: { number: number; max: number }): Promise<PushOutcome> {
  const contacts = await db.contact.findMany({ where: { id: { in: contactIds } } });
  // A token that cannot be read fails the batch with the reason: retrying cannot make it readable, and the contacts
  // must not stay "pending" for ever (hostile review).
  const token = await readHubspotToken(db).catch((e: unknown) => (e instanceof AppError ? e : Promise.reject(e)));
  if (token === null || token instanceof AppError) {
    await markFailed(db, contacts.map((c) => c.id), token instanceof AppError ? token.message : "No HubSpot token is saved");
    return { synced: 0, failed: contacts.length };
  }
  const client = new Client({ accessToken: token, basePath: getEnv().HUBSPOT_API_BASE, numberOfApiCallRetries: 0 });
  const tally = new Tally();
  const linked = contacts.filter((c) => c.hubspotId);
  const unlinked = contacts.filter((c) => !c.hubspotId);
  try {
    const gone: Contact[] = [];
    await updateGroup(db, client, linked, tally, gone);
    const byEmail = [...unlinked, ...gone];
    for (const c of byEmail.filter((c) => !c.email)) {
      await tally.failed1(db, c, gone.includes(c) ? "Its HubSpot record no longer exists and it has no email to find it by" : "HubSpot matches contacts by email; this contact has none");
    }
    await upsertGroup(db, client, byEmail.filter((c) => c.email), tally);
  } catch (e) {
    const he = asHubspotError(e);
    if (attempt.number >= attempt.max || (he && he.code < 500 && he.code !== 429)) {
      const open = contacts.filter((c) => !tally.settled.has(c.id));
      await markFailed(db, open.map((c) => c.id), he ? reason(he) : (e as Error).message);
      return { synced: tally.synced, failed: tally.failed + open.length };
    }
    throw e;
  }
  return { synced: tally.synced, failed: tally.failed };
}

/** 429: wait as HubSpot asks, a few times; 401/403: the token is the problem, not the contact. Anything else is the
 *  caller's to judge. */
async function withSlot<T>(call: () => Promise<T>): Promise<T> {
  for (let waits = 0; ; waits++) {
    await takeSlot();
    try {
      return await call();
    } catch (e) {
      const he = asHubspotError(e);
      if (he?.code === 429 && waits < MAX_429_WAITS) {
        const retryAfter = Number(he.headers?.["retry-after"] ?? he.headers?.["Retry-After"] ?? 1);
        await sleep(Math.min(60, Math.max(0.1, retryAfter)) * 1000);
        continue;
      }
      if (he?.code === 401 || he?.code === 403) {
        throw Object.assign(new Error(TOKEN_REJECTED), { code: he.code, body: { message: TOKEN_REJECTED } });
      }
      throw e;
    }
  }
}

const TOKEN_REJECTED = "HubSpot rejected the token (revoked, expired, or missing the crm.objects.contacts.write scope)";

interface BatchError { category?: string; message?: string; context?: { ids?: string[] } }

async function updateGroup(db: Db, client: Client, group: Contact[], tally: Tally, gone: Contact[]): Promise<void> {
  if (!group.length) return;
  try {
    const res = await withSlot(() =>
      client.crm.contacts.batchApi.update({ inputs: group.map((c) => ({ id: c.hubspotId!, properties: toHubspotProperties(c) })) }),
    );
    const byId = new Map(res.results.map((r) => [r.id, r]));
    // A record merged into another in HubSpot may answer under the surviving record's id: found by its email then.
    const byEmail = new Map(res.results.map((r) => [String(r.properties?.email ?? "").toLowerCase(), r.id]));
    const errors = ((res as { errors?: BatchError[] }).errors ?? []).flatMap((e) => (e.context?.ids ?? []).map((id) => [id, e] as const));
    const errorById = new Map(errors);
    for (const c of group) {
      const id = byId.has(c.hubspotId!) ? c.hubspotId! : c.email ? byEmail.get(c.email.toLowerCase()) : undefined;
      const err = errorById.get(c.hubspotId!);
      if (id) await tally.synced1(db, c, id);
      else if (!err || err.category === "OBJECT_NOT_FOUND") gone.push(c);
      else await tally.failed1(db, c, `HubSpot: ${err.message ?? err.category}`.slice(0, 500));
    }
  } catch (e) {
    const he = asHubspotError(e);
    if (he && (he.code === 400 || he.code === 404 || he.code === 409) && group.length > 1) {
      // One bad or missing record fails the whole call: send them one by one so the rest sync.
      for (const c of group) await updateGroup(db, client, [c], tally, gone);
      return;
    }
    if (he?.code === 404) return void gone.push(group[0]);
    if (he?.code === 400 || he?.code === 409) return tally.failed1(db, group[0], reason(he));
    throw e;
  }
}

async function upsertGroup(db: Db, client: Client, group: Contact[], tally: Tally): Promise<void> {
  if (!group.length) return;
  try {
    const res = await withSlot(() =>
      client.crm.contacts.batchApi.upsert({
        inputs: group.map((c) => ({ id: c.email!.toLowerCase(), idProperty: "email", properties: toHubspotProperties(c) })),
      }),
    );
    const byEmail = new Map(res.results.map((r) => [String(r.properties?.email ?? "").toLowerCase(), r.id]));
    for (const c of group) {
      const hubspotId = byEmail.get(c.email!.toLowerCase());
      if (hubspotId) await tally.synced1(db, c, hubspotId);
      else await tally.failed1(db, c, "HubSpot did not return this contact");
    }
  } catch (e) {
    const he = asHubspotError(e);
    if (he?.code === 400 && group.length > 1) {
      // One bad record fails the whole call: send them one by one so the rest sync.
      for (const c of group) await upsertGroup(db, client, [c], tally);
      return;
    }
    if (he?.code === 400) return tally.failed1(db, group[0], reason(he));
    throw e;
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
