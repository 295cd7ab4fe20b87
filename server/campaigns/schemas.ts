import { z } from "zod";
import { dbDate, dbText } from "../validation/db-safe";
import { entityId } from "../validation/entity-id";

export const CONTACT_SOURCES = ["card_scan", "text_input", "telegram", "linkedin_search", "linkedin_connection", "manual"] as const;

export const audienceInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  // Admin-typed text goes through dbText(): a NUL or a lone surrogate is cleaned, not a 500 from PostgreSQL
  // (the tag is stored in jsonb and compared with text[]).
  z.object({ kind: z.literal("tag"), tag: dbText().trim().min(1).max(100) }),
  z.object({ kind: z.literal("source"), source: z.enum(CONTACT_SOURCES) }),
  z.object({ kind: z.literal("owner"), ownerId: entityId() }),
  z.object({ kind: z.literal("contacts"), contactIds: z.array(entityId()).min(1, "Select at least one contact").max(50_000) }),
]);
export type Audience = z.infer<typeof audienceInput>;

// A subject is one header line: RFC 5322 caps lines at 998 characters; we keep it readable.
export const SUBJECT_MAX = 300;
// Lenient on the domain on purpose: the default sender is no-reply@localhost.
const email = z.string().trim().toLowerCase().max(254).regex(/^[^\s@<>"(),;:]+@[a-z0-9.-]+$/, "A valid sender address");

export const CAMPAIGN_NAME_MAX = 200;

export const campaignFields = z.object({
  name: dbText().trim().min(1, "Name the campaign").max(CAMPAIGN_NAME_MAX),
  // multiline: line breaks survive the cleaning, so the regex still refuses them with its message.
  fromName: dbText({ multiline: true }).trim().max(120).regex(/^[^\r\n<>"]*$/, "No quotes, angle brackets or line breaks"),
  fromEmail: email,
  subject: dbText().trim().min(1, "Write a subject").max(SUBJECT_MAX, `At most ${SUBJECT_MAX} characters`),
  html: dbText({ multiline: true }).max(500_000, "At most 500 KB of HTML"),
  text: dbText({ multiline: true }).max(200_000, "At most 200 KB of text"),
  audience: audienceInput,
});
export type CampaignFields = z.infer<typeof campaignFields>;

export const createCampaignInput = campaignFields.refine((f) => f.html.trim() || f.text.trim(), { message: "Write an HTML or a plain-text body", path: ["html"] });
/**
 * The campaign's `updatedAt` as the caller's page last read it. With it, a save, launch or schedule is refused (409)
 * when someone else saved the campaign since: an admin confirms what their page shows, and a second admin's edit
 * in another tab must not go out under that confirmation. Optional, for scripts that do not read first.
 */
const expectedUpdatedAt = z.date().optional();
export const updateCampaignInput = z.object({ id: entityId(), fields: campaignFields.partial(), expectedUpdatedAt });
export const campaignIdInput = z.object({ id: entityId() });
export const launchInput = z.object({ id: entityId(), expectedUpdatedAt });
export const scheduleInput = z.object({ id: entityId(), at: dbDate("at"), expectedUpdatedAt });

export const previewInput = z.object({
  subject: dbText().max(SUBJECT_MAX, `At most ${SUBJECT_MAX} characters`),
  html: dbText({ multiline: true }).max(500_000),
  text: dbText({ multiline: true }).max(200_000),
  fromEmail: z.string().max(254).optional(),
  contactId: entityId().optional(),
});

export const testSendInput = z.object({ id: entityId(), contactId: entityId().optional() });

export const RECIPIENT_STATUSES = ["PENDING", "SENDING", "SENT", "FAILED", "SKIPPED", "UNCERTAIN"] as const;
export const recipientsInput = z.object({
  id: entityId(),
  status: z.enum(RECIPIENT_STATUSES).optional(),
  // Part of an address or a contact's name: "who got what" for one person among 10,000.
  search: dbText().trim().max(254).optional(),
  cursor: entityId().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const audienceSampleInput = z.object({ audience: audienceInput, limit: z.number().int().min(1).max(50).default(20), search: dbText().max(100).optional() });
