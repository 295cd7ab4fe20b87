// contacts.exactDuplicates (preview) and contacts.mergeExactDuplicates (admins): merges every group of exact
// duplicates (exact-duplicates.ts) at once, as contacts.merge would with no field chosen. Each group keeps its
// OLDEST contact, fills that contact's blanks from the others, unites tags, other numbers and notes, and moves
// card photos and campaign history onto it (mergeLockedContacts, shared with contacts.merge); the others are
// deleted. See docs/contacts.md, "Merge exact duplicates".
import type { Contact, Db } from "../db";
import { forbidden, isAppError } from "../errors";
import type { Logger } from "../logger";
import { recordAudit } from "../audit/record-audit";
import { contactPayload, createDeliveries, deletedPayload, enqueueDeliveries, subscribedWebhookIds } from "../integrations/emit-event";
import type { Actor } from "../trpc/context";
import { countExactDuplicates, exactDuplicateGroups, groupsAmong, tooManyTagsGroups, type ExactGroupCounts } from "./exact-duplicates";
import { chosenValues, mergeLockedContacts } from "./merge-contacts";
import { MAX_GROUPS_PER_CALL } from "./schemas";
import { MAX_TAGS, normalizeTags } from "./tags";

/** Skipped groups named in the answer (the count covers them all). */
const MAX_SKIPPED_LISTED = 50;
const SAMPLE_GROUPS = 10;

export interface ExactGroupMember { id: string; fullName: string; email: string | null; company: string | null; phone: string | null; ownerName: string; createdAt: Date }

export interface ExactDuplicatesPreview extends ExactGroupCounts {
  /** Contacts the merge would delete (those in the groups, less the one kept per group). */
  removes: number;
  /** The most groups one call merges. */
  perCall: number;
  /** The first groups, oldest first; `members[0]` is the contact kept. */
  sample: { email: string; members: ExactGroupMember[] }[];
}

export interface SkippedGroup {
  email: string;
  names: string[];
  reason: string;
}

export interface MergeExactDuplicatesResult {
  mergedGroups: number;
  /** Contacts in the merged groups, the kept ones included. */
  mergedContacts: number;
  /** Contacts deleted (merged into the kept one). */
  removedContacts: number;
  skippedGroups: number;
  /** The first MAX_SKIPPED_LISTED of them, with why. */
  skipped: SkippedGroup[];
  /** Exact groups still to merge after this call (past the per-call bound): run it again. */
  remainingGroups: number;
}

function assertAdmin(actor: Actor) {
  if (actor.role !== "ADMIN") throw forbidden("Admins only");
}

const label = (c: { fullName: string; email: string | null }) => (c.email ? `${c.fullName} <${c.email}>` : c.fullName);

async function membersOf(db: Pick<Db, "contact">, ids: string[]): Promise<Map<string, ExactGroupMember>> {
  const rows = await db.contact.findMany({
    where: { id: { in: ids } },
    select: { id: true, fullName: true, email: true, company: true, phone: true, createdAt: true, owner: { select: { name: true } } },
  });
  return new Map(rows.map(({ owner, ...c }) => [c.id, { ...c, ownerName: owner.name }]));
}

export async function previewExactDuplicates(db: Db, actor: Actor): Promise<ExactDuplicatesPreview> {
  assertAdmin(actor);
  const [counts, first] = await Promise.all([countExactDuplicates(db), exactDuplicateGroups(db, { limit: SAMPLE_GROUPS })]);
  const byId = await membersOf(db, first.flatMap((g) => g.ids));
  return {
    ...counts,
    removes: counts.contacts - counts.groups,
    perCall: MAX_GROUPS_PER_CALL,
    sample: first.map((g) => ({ email: g.email, members: g.ids.map((id) => byId.get(id)).filter((m): m is ExactGroupMember => !!m) })),
  };
}

type GroupOutcome =
  | { kind: "merged"; keep: Contact; removed: Contact[]; email: string; deliveries: string[] }
  | { kind: "skipped"; reason: string; names: string[]; email: string }
  | { kind: "gone" };

/**
 * One group, in its own transaction: its rows locked (in id order, as contacts.merge locks), the group checked
 * again on the locked rows (another admin may have edited or merged them since the list was read), then each
 * newer contact merged into the oldest, in age order.
 */
/** The webhooks subscribed to what a merge sends, looked up once per call rather than once per group. */
interface MergeHooks { updated: string[]; deleted: string[] }

async function mergeGroup(db: Db, ids: string[], now: Date, hooks: MergeHooks): Promise<GroupOutcome> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Contact" WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;
    const groups = await groupsAmong(tx, ids);
    const group = groups.find((g) => g.exact);
    if (!group) {
      // Fewer than two left (merged meanwhile): nothing to do. Else they no longer agree: for the one-by-one page.
      if (!groups.length) return { kind: "gone" };
      const names = [...(await membersOf(tx, groups[0].ids)).values()].map((m) => m.fullName);
      return { kind: "skipped", email: groups[0].email, names, reason: "changed since the list was read: the contacts now differ" };
    }
    const rows = await tx.contact.findMany({ where: { id: { in: group.ids } } });
    const ordered = group.ids.map((id) => rows.find((r) => r.id === id)!);
    const tagCount = normalizeTags(ordered.flatMap((c) => c.tags)).length;
    if (tagCount > MAX_TAGS) {
      return { kind: "skipped", email: group.email, names: ordered.map((c) => c.fullName), reason: tooManyTagsReason(tagCount) };
    }
    let keep = ordered[0];
    for (const remove of ordered.slice(1)) keep = await mergeLockedContacts(tx, keep, remove, chosenValues(keep, remove, {}), now);
    const removed = ordered.slice(1);
    // The group's webhook events, written with the merge (as bulkSetOwner's): the kept contact as merged, and each
    // contact gone into it. Queued once the transaction has committed.
    const deliveries = [
      ...(await createDeliveries(tx, hooks.updated, "contact.updated", [{ contact: contactPayload(keep), mergedFrom: removed.map((c) => c.id) }])),
      ...(await createDeliveries(tx, hooks.deleted, "contact.deleted", removed.map((c) => deletedPayload(c, "merged", keep.id)))),
    ];
    return { kind: "merged", keep, removed, email: group.email, deliveries };
  });
}

const tooManyTagsReason = (n: number) => `${n} different tags together (a contact can have at most ${MAX_TAGS}): remove some, then merge`;

/**
 * Merges up to `limit` (at most MAX_GROUPS_PER_CALL) exact groups, oldest first. Each group is its own
 * transaction: a group that fails (or changed meanwhile) is reported in `skipped` and the others go on. Run
 * twice, the second call finds nothing left to merge. Exact groups whose tags together exceed MAX_TAGS are never
 * merged: they are reported in `skipped` on every call, until tags are removed. Each merged group gets an audit
 * row naming the kept contact and the merged ones (who were deleted), besides the call's own row.
 */
export async function mergeExactDuplicates(db: Db, actor: Actor, input: { limit?: number } = {}, log?: Logger): Promise<MergeExactDuplicatesResult> {
  assertAdmin(actor);
  const limit = Math.max(1, Math.min(input.limit ?? MAX_GROUPS_PER_CALL, MAX_GROUPS_PER_CALL));
  const groups = await exactDuplicateGroups(db, { limit });
  const result: MergeExactDuplicatesResult = { mergedGroups: 0, mergedContacts: 0, removedContacts: 0, skippedGroups: 0, skipped: [], remainingGroups: 0 };
  const skip = (s: SkippedGroup) => {
    result.skippedGroups += 1;
    if (result.skipped.length < MAX_SKIPPED_LISTED) result.skipped.push(s);
  };
  const now = new Date();
  const hooks: MergeHooks = { updated: await subscribedWebhookIds(db, "contact.updated"), deleted: await subscribedWebhookIds(db, "contact.deleted") };
  for (const g of groups) {
    let outcome: GroupOutcome;
    try {
      outcome = await mergeGroup(db, g.ids, now, hooks);
    } catch (err) {
      log?.error({ err, event: "contacts.merge_exact.group_failed", email: g.email, ids: g.ids }, "could not merge a group of exact duplicates");
      skip({ email: g.email, names: [], reason: isAppError(err) ? err.message : "unexpected error (see the server log)" });
      continue;
    }
    if (outcome.kind === "skipped") skip({ email: outcome.email, names: outcome.names, reason: outcome.reason });
    if (outcome.kind !== "merged") continue;
    result.mergedGroups += 1;
    result.mergedContacts += 1 + outcome.removed.length;
    result.removedContacts += outcome.removed.length;
    // After the commit (as the audit middleware records), so a failed insert cannot undo the merge.
    await recordAudit(db, actor, {
      action: "contacts.mergeExactDuplicates",
      targetId: outcome.keep.id,
      targetLabel: `${label(outcome.keep)} ← merged ${outcome.removed.map(label).join("; ")}`,
      details: { group: { email: outcome.email, keptId: outcome.keep.id, mergedIds: outcome.removed.map((c) => c.id) } },
    }, log);
    await enqueueDeliveries(outcome.deliveries);
  }
  const [counts, overTags] = await Promise.all([countExactDuplicates(db), tooManyTagsGroups(db, { limit: MAX_SKIPPED_LISTED })]);
  if (overTags.length) {
    const byId = await membersOf(db, overTags.flatMap((g) => g.ids));
    for (const g of overTags) skip({ email: g.email, names: g.ids.map((id) => byId.get(id)?.fullName ?? "?"), reason: tooManyTagsReason(g.tagCount) });
    // Counted in full, listed only in part.
    result.skippedGroups += counts.tooManyTags - overTags.length;
  }
  result.remainingGroups = counts.groups;
  return result;
}
