// Sending one batch (worker). Loop: take tokens from the shared rate limit, CLAIM up to
// `claimSize` PENDING rows of this batch with one conditional UPDATE (FOR UPDATE SKIP
// LOCKED, status PENDING → SENDING, a lease and a claim token), send exactly those rows,
// then record every outcome with one UPDATE guarded by the claim token.
// The claim also checks the campaign is still PREPARING/SENDING, so pause and cancel stop
// new claims at once. A row whose worker dies stays SENDING until its lease expires; the
// supervisor then marks it UNCERTAIN, and nothing re-sends it automatically. A send whose
// connection failed after the message may have been handed over is UNCERTAIN too (smtp-errors.ts).
import { randomBytes } from "node:crypto";
import type { Transporter } from "nodemailer";
import type { Db } from "../db";
import type { Logger } from "../logger";
import { compileTemplates, mergeDataFor, type CompiledTemplates } from "../mail/templates";
import { composeMessage, campaignMessageId } from "../mail/compose";
import { classifySmtpError } from "../mail/smtp-errors";
import { signUnsubscribeToken, unsubscribeUrl } from "../mail/unsubscribe-token";
import { campaignSettings, retryDelayMs, type CampaignSettings } from "./settings";
import type { SendLimiter } from "./rate-limit";
import { finalizeIfDone } from "./finalize";
import { countMails } from "../metrics/mail-metrics";

export interface BatchDeps {
  workerId: string;
  log?: Logger;
  transport: Transporter;
  limiter: SendLimiter;
  isStopping?: () => boolean;
  enqueueBatches: (campaignId: string, batchNos: number[], gen: number, opts?: { wake?: number; delayMs?: number }) => Promise<void>;
  settings?: CampaignSettings;
}

/** `fullName` is null when the contact was deleted after the fan-out (Contact."fullName" is NOT NULL). `requeued`:
 *  queued again by "Retry failed" / "Retry uncertain" (its reason carries BEFORE_RETRY). */
interface Claimed { id: string; contactId: string; email: string; attempts: number; requeued: boolean; fullName: string | null; company: string | null; title: string | null; suppressed: string | null }
/**
 * `pauseSignal`: this failure says something may be wrong with the mail set-up as a whole, so it counts toward the
 * auto-pause (CAMPAIGN_AUTO_PAUSE_AFTER failures in a row). A failure without any SMTP reply (refused connection,
 * timeout, TLS, authentication) always does: a dead server fails retries too. A refusal of one address (a 4xx or
 * 5xx reply) does only on that row's first attempt of the campaign: at the end of a send only the retries of a few
 * greylisted or full mailboxes are left, and without successes in between 20 such addresses × 3 retries reached 25
 * "in a row" and paused a campaign of 10,000 at 99 % (and again after every "Retry failed").
 */
type Outcome = { id: string; status: "SENT" | "FAILED" | "PENDING" | "SKIPPED" | "UNCERTAIN"; reason: string | null; messageId: string | null; delayMs: number; hardBounce?: string; pauseSignal: boolean };

interface CampaignForSend { id: string; status: string; fromName: string; fromEmail: string; subject: string; html: string; text: string; updatedAt: Date; dispatchGen: number }

/**
 * "Retry failed" / "Retry uncertain" keep why the row failed before (control-campaign.ts): its
 * reason becomes `Queued again by "Retry failed" · Before the retry: <old reason>`. Every
 * later outcome of that row keeps this suffix, so the send log shows both the new outcome and
 * the earlier failure ("Sent after a retry · Before the retry: 421 …"). Only the latest earlier
 * failure is kept: a second retry replaces the suffix, so the text never grows.
 */
export const BEFORE_RETRY = " · Before the retry: ";

/**
 * A row sent on an automatic retry keeps why the attempt before failed: "Sent on attempt 2 · Earlier: Attempt 1
 * failed (421 …)". Otherwise the log would say only SENT, attempts 2, and hide a first attempt that may matter.
 */
export const EARLIER = " · Earlier: ";
const RETRY_SCHEDULE = String.raw`; retry \d+ of \d+ in \d+ s$`;

/** The reason of a send that may or may not have been delivered (SendFailure "uncertain"). */
export const uncertainSendReason = (detail: string) =>
  `The connection failed while the message may already have been handed over (${detail}): it may or may not have been delivered. Not re-sent automatically.`;

export async function claimRecipients(db: Db, campaignId: string, batchNo: number, limit: number, token: string, leaseMs: number): Promise<Claimed[]> {
  return db.$queryRaw<Claimed[]>`
    WITH picked AS (
      SELECT r."id" FROM "CampaignRecipient" r
      WHERE r."campaignId" = ${campaignId}::uuid AND r."batchNo" = ${batchNo} AND r."status" = 'PENDING' AND r."nextAttemptAt" <= now()
        AND EXISTS (SELECT 1 FROM "Campaign" c WHERE c."id" = ${campaignId}::uuid AND c."status" IN ('PREPARING', 'SENDING'))
      ORDER BY r."id" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE "CampaignRecipient" r
      SET "status" = 'SENDING', "leaseUntil" = now() + ${leaseMs} * interval '1 millisecond', "claimToken" = ${token},
          "attempts" = r."attempts" + 1, "updatedAt" = now()
      FROM picked WHERE r."id" = picked."id" AND r."status" = 'PENDING'
      RETURNING r."id", r."contactId", r."email", r."attempts", r."reason"
    )
    SELECT claimed."id", claimed."contactId", claimed."email", claimed."attempts",
           strpos(coalesce(claimed."reason", ''), ${BEFORE_RETRY}) > 0 AS requeued,
           ct."fullName", ct."company", ct."title", s."reason"::text AS suppressed
    FROM claimed
    LEFT JOIN "Contact" ct ON ct."id" = claimed."contactId"
    LEFT JOIN "EmailSuppression" s ON s."email" = claimed."email"::citext`;
}


/** Renewals per claim, one every third of a lease: a claim may take about four leases (4 min by default) in all. */
export const MAX_LEASE_RENEWALS = 9;

/** Pushes the lease of this claim's rows that are still SENDING one lease further (the batch index finds them). */
export async function renewLease(db: Db, campaignId: string, batchNo: number, token: string, leaseMs: number): Promise<number> {
  return db.$executeRaw`
    UPDATE "CampaignRecipient" SET "leaseUntil" = now() + ${leaseMs} * interval '1 millisecond'
    WHERE "campaignId" = ${campaignId}::uuid AND "batchNo" = ${batchNo} AND "status" = 'SENDING' AND "claimToken" = ${token}`;
}

async function recordOutcomes(db: Db, token: string, campaignId: string, outcomes: Outcome[]): Promise<void> {
  if (!outcomes.length) return;
  await db.$executeRaw`
    UPDATE "CampaignRecipient" r SET
      "status" = v.status::campaign_recipient_status,
      "reason" = CASE WHEN strpos(coalesce(r."reason", ''), ${BEFORE_RETRY}) > 0
        THEN coalesce(v.reason, 'Sent after a retry') || substring(r."reason" from strpos(r."reason", ${BEFORE_RETRY}))
        -- The earlier failure of an automatic retry (EARLIER), without its "; retry 1 of 3 in 5 s" schedule.
        WHEN v.status = 'SENT' AND r."attempts" > 1 AND r."reason" IS NOT NULL
        THEN 'Sent on attempt ' || r."attempts" || ${EARLIER} || regexp_replace(r."reason", ${RETRY_SCHEDULE}, '')
        ELSE v.reason END,
      "messageId" = coalesce(v.mid, r."messageId"),
      -- The claim counted an attempt; a row skipped at claim time (unsubscribed or deleted since) was never sent.
      "attempts" = CASE WHEN v.status = 'SKIPPED' THEN greatest(r."attempts" - 1, 0) ELSE r."attempts" END,
      "sentAt" = CASE WHEN v.status = 'SENT' THEN now() ELSE r."sentAt" END,
      "nextAttemptAt" = now() + v.delay * interval '1 millisecond',
      "leaseUntil" = NULL, "updatedAt" = now()
    FROM unnest(${outcomes.map((o) => o.id)}::uuid[], ${outcomes.map((o) => o.status)}::text[], ${outcomes.map((o) => o.reason)}::text[],
                ${outcomes.map((o) => o.messageId)}::text[], ${outcomes.map((o) => o.delayMs)}::int[]) AS v(id, status, reason, mid, delay)
    -- Also from UNCERTAIN: a worker that was merely slow still knows what happened.
    WHERE r."id" = v.id AND r."claimToken" = ${token} AND r."status" IN ('SENDING', 'UNCERTAIN')`;
  const bounces = outcomes.filter((o) => o.hardBounce);
  if (bounces.length) {
    await db.$executeRaw`
      INSERT INTO "EmailSuppression" ("email", "reason", "detail", "campaignId")
      SELECT e, 'HARD_BOUNCE', d, ${campaignId}::uuid FROM unnest(${bounces.map((b) => b.hardBounce!)}::text[], ${bounces.map((b) => b.reason)}::text[]) AS v(e, d)
      ON CONFLICT ("email") DO NOTHING`;
  }
}

async function loadCampaign(db: Db, id: string): Promise<CampaignForSend | null> {
  return db.campaign.findUnique({ where: { id }, select: { id: true, status: true, fromName: true, fromEmail: true, subject: true, html: true, text: true, updatedAt: true, dispatchGen: true } });
}

async function sendOne(c: CampaignForSend, tpl: CompiledTemplates, r: Claimed, deps: BatchDeps, s: CampaignSettings): Promise<Outcome> {
  const base = { id: r.id, messageId: null as string | null, delayMs: 0 };
  if (r.suppressed) return { ...base, status: "SKIPPED", reason: r.suppressed === "UNSUBSCRIBED" ? "Unsubscribed" : "Suppressed: the address hard-bounced", pauseSignal: false };
  // Deleted after the fan-out: reps delete a contact when the person asks to be left alone, and the message would
  // go out with empty merge fields ("Hello ,") that nobody previewed.
  if (r.fullName === null) return { ...base, status: "SKIPPED", reason: "Contact deleted", pauseSignal: false };
  const firstTry = r.attempts === 1 && !r.requeued;
  const url = unsubscribeUrl(signUnsubscribeToken({ email: r.email, campaignId: c.id }));
  const messageId = campaignMessageId(c.id, r.id, c.fromEmail);
  let msg;
  try {
    const out = tpl.render(mergeDataFor({ fullName: r.fullName, company: r.company, title: r.title, email: r.email }, url));
    msg = composeMessage({ campaignId: c.id, recipientId: r.id, from: { name: c.fromName, address: c.fromEmail }, to: r.email, ...out, unsubscribeUrl: url });
  } catch (err) {
    return { ...base, status: "FAILED", reason: `Could not render the message: ${err instanceof Error ? err.message : String(err)}`, pauseSignal: firstTry };
  }
  try {
    await deps.transport.sendMail(msg);
    return { ...base, status: "SENT", reason: null, messageId, pauseSignal: false };
  } catch (err) {
    const f = classifySmtpError(err);
    // A refusal of the sender, the relay account or the content (f.setup) is the same for every recipient.
    const pauseSignal = f.noReply || firstTry || (f.kind === "permanent" && f.setup);
    // Sending it again could deliver it twice: an admin decides ("Retry uncertain").
    if (f.kind === "uncertain") return { ...base, messageId, status: "UNCERTAIN", reason: uncertainSendReason(f.reason), pauseSignal };
    if (f.kind === "temporary") {
      // r.attempts counts this attempt: retry n happens after base × 5^(n-1).
      if (r.attempts <= s.maxRetries) {
        const delayMs = retryDelayMs(r.attempts, s.retryBaseMs);
        return { ...base, messageId, status: "PENDING", delayMs, reason: `Attempt ${r.attempts} failed (${f.reason}); retry ${r.attempts} of ${s.maxRetries} in ${Math.round(delayMs / 1000)} s`, pauseSignal };
      }
      return { ...base, messageId, status: "FAILED", reason: `Gave up after ${r.attempts} attempts: ${f.reason}`, pauseSignal };
    }
    return { ...base, messageId, status: "FAILED", reason: f.reason, hardBounce: f.hardBounce ? r.email : undefined, pauseSignal };
  }
}

let lastMetricWarning = 0;

export interface BatchResult { sent: number; failed: number; deferred: number; skipped: number; uncertain: number; state: string }

export async function runBatch(db: Db, job: { campaignId: string; batchNo: number; gen: number; wake: number }, deps: BatchDeps): Promise<BatchResult> {
  const s = deps.settings ?? campaignSettings();
  const res: BatchResult = { sent: 0, failed: 0, deferred: 0, skipped: 0, uncertain: 0, state: "done" };
  const c = await loadCampaign(db, job.campaignId);
  if (!c) return { ...res, state: "missing" };
  if (c.status !== "PREPARING" && c.status !== "SENDING") return { ...res, state: c.status };
  // Launched: sent as approved at launch (templates.ts), compiled once per content.
  const tpl = compileTemplates(c, c.id, { launched: true });
  let consecutive = 0;
  let lastActivity = 0;

  for (;;) {
    if (deps.isStopping?.()) {
      res.state = "stopping";
      break;
    }
    await deps.limiter.take(s.claimSize);
    const token = `${deps.workerId}.${randomBytes(4).toString("hex")}`;
    const claimed = await claimRecipients(db, c.id, job.batchNo, Math.min(s.claimSize, s.ratePerSec), token, s.leaseMs);
    if (claimed.length < s.claimSize) await deps.limiter.giveBack(Math.min(s.claimSize, s.ratePerSec) - claimed.length);
    if (!claimed.length) break;

    // The claim's lease is renewed while its messages are being sent: they share the SMTP pool with the other
    // claims of this process, so behind a slow or throttling relay the last of them may go out after the lease
    // would have run out. An expired lease means "the worker died" to the supervisor, which then calls the rows
    // UNCERTAIN and finishes the campaign while this live worker is still sending; a "Retry uncertain" then
    // mailed them twice (hostile review). Only a worker that stops renewing (dead, or cut off from the database
    // for a whole lease) has its rows called uncertain.
    // Bounded (MAX_LEASE_RENEWALS, about four leases in all): a send that never settles must not keep its rows
    // SENDING for ever; once renewal stops they expire and become UNCERTAIN, as for a dead worker.
    let renewals = 0;
    const renewal = setInterval(() => {
      if (++renewals > MAX_LEASE_RENEWALS) return clearInterval(renewal);
      void renewLease(db, c.id, job.batchNo, token, s.leaseMs).catch(() => {});
    }, Math.max(100, Math.floor(s.leaseMs / 3)));
    let outcomes: Outcome[];
    try {
      outcomes = await Promise.all(claimed.map((r) => sendOne(c, tpl, r, deps, s)));
    } finally {
      clearInterval(renewal);
    }
    await recordOutcomes(db, token, c.id, outcomes);
    // The Prometheus counters (server/metrics/mail-metrics.ts says what counts): SENT is what
    // the SMTP server accepted, FAILED is final; a PENDING retry is counted when it ends.
    const metricErr = await countMails("campaign", { sent: outcomes.filter((o) => o.status === "SENT").length, failed: outcomes.filter((o) => o.status === "FAILED").length });
    // While Redis is down sending goes on (in-memory rate limit): one warning a minute, not one per claim.
    if (metricErr && Date.now() - lastMetricWarning > 60_000) {
      lastMetricWarning = Date.now();
      deps.log?.warn({ campaignId: c.id, err: metricErr.message }, "could not count sent/failed mails in the metrics (Redis)");
    }

    let trailing = 0;
    let anyOk = false;
    let lastError: string | null = null;
    for (const o of outcomes) {
      if (o.status === "SENT") { res.sent++; anyOk = true; trailing = 0; }
      else if (o.status === "SKIPPED") res.skipped++;
      else {
        if (o.status === "PENDING") res.deferred++; else if (o.status === "UNCERTAIN") res.uncertain++; else res.failed++;
        // Only failures that say something about the set-up count toward the auto-pause (Outcome.pauseSignal).
        if (o.pauseSignal) { trailing++; lastError = o.reason; }
      }
    }
    const uncertain = outcomes.filter((o) => o.status === "UNCERTAIN");
    if (uncertain.length) deps.log?.warn({ campaignId: c.id, uncertain: uncertain.length, reason: uncertain[0].reason }, "sends that may or may not have been delivered were marked UNCERTAIN");
    const failed = outcomes.filter((o) => o.pauseSignal).length;
    if (failed > 0 || consecutive > 0 || Date.now() - lastActivity > 1_000) {
      lastActivity = Date.now();
      const [row] = await db.$queryRaw<{ consecutiveFailures: number }[]>`
        UPDATE "Campaign" SET
          "consecutiveFailures" = CASE WHEN ${anyOk} THEN ${trailing} ELSE "consecutiveFailures" + ${failed} END,
          "lastError" = coalesce(${lastError}, "lastError"), "lastActivityAt" = now()
        WHERE "id" = ${c.id}::uuid RETURNING "consecutiveFailures"`;
      consecutive = row?.consecutiveFailures ?? 0;
      if (s.autoPauseAfter > 0 && consecutive >= s.autoPauseAfter) {
        const paused = await db.$executeRaw`
          UPDATE "Campaign" SET "status" = 'PAUSED', "updatedAt" = now(),
            "pausedReason" = ${`Paused automatically after ${consecutive} failures in a row. Last error: ${lastError ?? "unknown"}`}
          WHERE "id" = ${c.id}::uuid AND "status" IN ('PREPARING', 'SENDING')`;
        if (paused) deps.log?.warn({ campaignId: c.id, consecutive, lastError }, "campaign auto-paused");
        res.state = "auto-paused";
        break;
      }
    }
  }

  // Rows waiting for a retry: wake this batch up when the earliest is due. If this job is
  // lost (Redis restarted), the supervisor's stall check re-dispatches.
  const [next] = await db.$queryRaw<{ due_in: number | null }[]>`
    SELECT (extract(epoch FROM min("nextAttemptAt") - now()) * 1000)::int AS due_in FROM "CampaignRecipient"
    WHERE "campaignId" = ${c.id}::uuid AND "batchNo" = ${job.batchNo} AND "status" = 'PENDING'`;
  if (next?.due_in != null && res.state === "done") {
    await deps.enqueueBatches(c.id, [job.batchNo], job.gen, { wake: job.wake + 1, delayMs: Math.max(0, next.due_in) + 50 })
      .catch((err) => deps.log?.warn({ campaignId: c.id, err: String(err) }, "could not queue the retry wake-up; the supervisor will"));
  }
  await finalizeIfDone(db, c.id);
  return res;
}
