// Renders a campaign for one contact (or a sample person), with unknown-tag warnings.
import type { Db } from "../db";
import { notFound } from "../errors";
import { compileTemplates, mergeDataFor, type ContactLike, type TemplateWarning } from "../mail/templates";
import { signUnsubscribeToken, unsubscribeUrl } from "../mail/unsubscribe-token";

export const SAMPLE_CONTACT: ContactLike = { fullName: "Ada Lovelace", company: "Analytical Engines Ltd", title: "Head of Research", email: "ada@example.com" };

export interface PreviewResult {
  subject: string;
  html: string;
  text: string;
  warnings: TemplateWarning[];
  contact: { id: string | null; fullName: string; email: string | null };
}

export async function loadMergeContact(db: Db, contactId?: string): Promise<{ id: string | null; contact: ContactLike }> {
  if (!contactId) return { id: null, contact: SAMPLE_CONTACT };
  const c = await db.contact.findUnique({ where: { id: contactId }, select: { id: true, fullName: true, company: true, title: true, email: true } });
  if (!c) throw notFound("Contact");
  return { id: c.id, contact: c };
}

export async function previewCampaign(db: Db, input: { subject: string; html: string; text: string; contactId?: string }): Promise<PreviewResult> {
  // Compiling runs the same checks as save and launch (one parse): errors are a 422, unknown
  // merge tags come back as warnings.
  const compiled = compileTemplates(input);
  const { id, contact } = await loadMergeContact(db, input.contactId);
  // The preview's link is real but points at the sample address, so clicking it is harmless.
  const url = unsubscribeUrl(signUnsubscribeToken({ email: "preview@example.invalid", campaignId: null }));
  const rendered = compiled.render(mergeDataFor(contact, url));
  return { ...rendered, warnings: compiled.warnings, contact: { id, fullName: contact.fullName ?? "", email: contact.email ?? null } };
}
