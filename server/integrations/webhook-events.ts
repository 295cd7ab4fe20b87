// The events a webhook can subscribe to. No imports, so the admin page's checkboxes use this very list.
export const WEBHOOK_EVENTS = ["contact.created", "contact.updated", "contact.deleted", "campaign.finished"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Why a contact.deleted event was sent: deleted (one or in bulk), merged into another contact, or an import undone. */
export type ContactDeletedReason = "deleted" | "merged" | "import_undone";
