// "Send a test": the saved campaign, rendered for a chosen contact (or a sample), mailed
// to the admin who asked. Synchronous: one message, the admin waits for the answer.
import type { Db } from "../db";
import { AppError } from "../errors";
import type { Actor } from "../trpc/context";
import { compileTemplates, mergeDataFor } from "../mail/templates";
import { composeMessage } from "../mail/compose";
import { getMailTransport } from "../mail/transport";
import { signUnsubscribeToken, unsubscribeUrl } from "../mail/unsubscribe-token";
import { classifySmtpError } from "../mail/smtp-errors";
import { findCampaign } from "./campaign-view";
import { loadMergeContact } from "./preview-campaign";
import { consumeLimit } from "../abuse/limits";
import { countMails } from "../metrics/mail-metrics";

export async function sendTestEmail(db: Db, actor: Actor, id: string, contactId?: string): Promise<{ to: string; messageId: string }> {
  await consumeLimit("testSend", actor.id);
  const c = await findCampaign(db, id);
  const to = actor.email ?? (await db.user.findUnique({ where: { id: actor.id }, select: { email: true } }))?.email;
  if (!to) throw new AppError("BAD_REQUEST", "Your account has no email address to send the test to.");
  const { contact } = await loadMergeContact(db, contactId);
  // The test's unsubscribe link names the admin, not the contact: clicking it never suppresses a customer.
  const url = unsubscribeUrl(signUnsubscribeToken({ email: to, campaignId: c.id }));
  const r = compileTemplates(c).render(mergeDataFor(contact, url));
  const msg = composeMessage({ campaignId: c.id, recipientId: `test-${Date.now()}`, from: { name: c.fromName, address: c.fromEmail }, to, subject: `[Test] ${r.subject}`, html: r.html, text: r.text, unsubscribeUrl: url });
  // Counted as kind "test" (server/metrics/mail-metrics.ts): a test is never retried, so a
  // refusal is final. A lost increment (Redis down) does not change the answer.
  try {
    await getMailTransport().sendMail(msg);
  } catch (err) {
    await countMails("test", { sent: 0, failed: 1 });
    throw new AppError("UNAVAILABLE", `The mail server refused the test: ${classifySmtpError(err).reason}`, { retryAfter: 30 });
  }
  await countMails("test", { sent: 1, failed: 0 });
  return { to, messageId: String(msg.messageId) };
}
