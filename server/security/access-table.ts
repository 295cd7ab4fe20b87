// Who may do what: the source of truth for authorization, checked by
// server/security/authorization-matrix.test.ts (every tRPC procedure) and
// e2e/authorization.spec.ts (every route handler), and shown in docs/security.md
// (rendered by `npx tsx scripts/render-security-doc.ts`).
//
// signed-in: any signed-in user (rep or admin); admin: admins only, 403 for reps;
// public: no session needed. "Own" notes say what a rep gets for someone else's object.
export type Access = "public" | "signed-in" | "admin";

export interface ProcedureRule {
  access: Access;
  note?: string;
  /**
   * Written to the audit log (/admin/audit) when it succeeds. Every admin mutation is,
   * without saying so here; this marks the destructive mutations reps may also call.
   */
  audit?: true;
}

const own404 = "own objects only: another user's is 404";
const ownEdit = "all reps see it; only the owner or an admin may change it (else 403)";

export const PROCEDURES: Record<string, ProcedureRule> = {
  "system.workerStatus": { access: "signed-in" },
  "system.me": { access: "signed-in" },
  "dashboard.summary": { access: "signed-in", note: "the caller's own drafts, scans and contacts; recent campaigns for admins only" },
  "system.ping": { access: "admin" },
  "system.runCleanup": { access: "admin" },
  "system.pingStatus": { access: "admin" },
  "users.list": { access: "admin" },
  "users.create": { access: "admin" },
  "users.setRole": { access: "admin", note: "not your own role, nor the last active admin's (409)" },
  "users.setDisabled": { access: "admin", note: "not yourself, nor the last active admin (409); their sessions end within 5 s" },
  "users.setPassword": { access: "admin", note: "ends every session of that user" },
  "users.handOverCards": { access: "admin", note: "a user's drafts waiting for review, and their unfinished scans, to an active user (422 for a disabled one)" },
  "contacts.list": { access: "signed-in", note: "the whole team's contacts" },
  "contacts.get": { access: "signed-in", note: "the whole team's contacts" },
  "contacts.create": { access: "signed-in", note: "owner = caller (admins may set another owner)" },
  "contacts.update": { access: "signed-in", note: ownEdit },
  "contacts.delete": { access: "signed-in", note: ownEdit, audit: true },
  "contacts.owners": { access: "signed-in", note: "every user, disabled ones marked (for the owner filter)" },
  "contacts.duplicates": { access: "signed-in" },
  "contacts.duplicatesOf": { access: "signed-in" },
  "contacts.merge": { access: "signed-in", note: ownEdit, audit: true },
  "contacts.exactDuplicates": { access: "admin", note: "how many groups of exact duplicates a bulk merge would merge, with a sample" },
  "contacts.mergeExactDuplicates": { access: "admin", note: "merges up to 1,000 groups of exact duplicates into their oldest contact; one audit row per group" },
  "contacts.bulkTag": { access: "signed-in", note: ownEdit },
  "contacts.bulkDelete": { access: "admin" },
  "contacts.bulkSetOwner": { access: "admin", note: "hands a selection to another ACTIVE user (a disabled or unknown one is 422)" },
  "contacts.mailStatus": { access: "signed-in", note: "any contact's: unsubscribed / bounced / receives campaigns" },
  "contacts.allowMail": { access: "admin", note: "lifts an unsubscribe or bounce (consent is the admin's call)" },
  "contacts.previewImport": { access: "signed-in" },
  "contacts.importCsv": { access: "signed-in" },
  "contacts.importVcard": { access: "signed-in" },
  "imports.get": { access: "signed-in", note: "a rep's own imports (another's is 404); admins: any" },
  "imports.list": { access: "signed-in", note: "own imports; admins: all" },
  "imports.undo": { access: "signed-in", note: "deletes the contacts a finished import created and nobody changed since; own imports (another's is 404), admins: any", audit: true },
  "scans.get": { access: "signed-in", note: own404 },
  "scans.list": { access: "signed-in", note: "own scans" },
  "drafts.list": { access: "signed-in", note: "own drafts" },
  "drafts.get": { access: "signed-in", note: own404 },
  "drafts.update": { access: "signed-in", note: own404 },
  "drafts.confirm": { access: "signed-in", note: own404 },
  "drafts.discard": { access: "signed-in", note: own404 },
  "drafts.fromText": { access: "signed-in" },
  "drafts.fromFailedScan": { access: "signed-in", note: "own scans only: another user's is 404" },
  "campaigns.list": { access: "admin" },
  "campaigns.get": { access: "admin" },
  "campaigns.recipients": { access: "admin" },
  "campaigns.defaults": { access: "admin" },
  "campaigns.audienceOptions": { access: "admin" },
  "campaigns.audienceCount": { access: "admin" },
  "campaigns.audienceSample": { access: "admin" },
  "campaigns.create": { access: "admin" },
  "campaigns.update": { access: "admin" },
  "campaigns.delete": { access: "admin" },
  "campaigns.duplicate": { access: "admin", note: "a new draft from any campaign" },
  "campaigns.checkLaunch": { access: "admin", note: "what Launch now asks to confirm, after every check the launch makes" },
  "campaigns.preview": { access: "admin" },
  "campaigns.testSend": { access: "admin" },
  "campaigns.launch": { access: "admin" },
  "campaigns.schedule": { access: "admin" },
  "campaigns.unschedule": { access: "admin" },
  "campaigns.pause": { access: "admin" },
  "campaigns.resume": { access: "admin" },
  "campaigns.cancel": { access: "admin" },
  "campaigns.retryFailed": { access: "admin" },
  "campaigns.retryUncertain": { access: "admin" },
  "audit.list": { access: "admin", note: "the audit log: every admin mutation, contact deletes, merges and exports" },
  "queues.overview": { access: "admin" },
  "queues.failed": { access: "admin" },
  "queues.retry": { access: "admin" },
  "queues.remove": { access: "admin" },
  "telegram.status": { access: "signed-in", note: "own link" },
  "telegram.createLinkCode": { access: "signed-in", note: "own link" },
  "telegram.unlink": { access: "signed-in", note: "own link" },
  "integrations.webhooks.list": { access: "admin" },
  "integrations.webhooks.create": { access: "admin" },
  "integrations.webhooks.delete": { access: "admin" },
  "integrations.webhooks.deliveries": { access: "admin" },
  "integrations.webhooks.redeliver": { access: "admin" },
  "integrations.hubspot.status": { access: "admin" },
  "integrations.hubspot.saveToken": { access: "admin" },
  "integrations.hubspot.clearToken": { access: "admin" },
  "integrations.hubspot.setAutoPush": { access: "admin" },
  "integrations.hubspot.push": { access: "admin" },
  "integrations.hubspot.retryFailed": { access: "admin" },
  "integrations.hubspot.contacts": { access: "admin" },
};

export interface RouteRule {
  /** Route file under app/api, e.g. "cards/route.ts". */
  file: string;
  method: "GET" | "POST";
  /** A concrete URL to probe it with. */
  probe: string;
  access: Access | "secret";
  /** Status for a caller without a session (or, for "secret", without the secret). */
  anonymous: number;
  note?: string;
}

export const ROUTES: RouteRule[] = [
  { file: "auth/[...nextauth]/route.ts", method: "GET", probe: "/api/auth/session", access: "public", anonymous: 200, note: "next-auth; sign-in is rate-limited" },
  { file: "auth/[...nextauth]/route.ts", method: "POST", probe: "/api/auth/callback/credentials", access: "public", anonymous: 422, note: "next-auth sign-in and sign-out; the sign-in body is checked first (422 without an email and password) and rate-limited" },
  { file: "trpc/[trpc]/route.ts", method: "GET", probe: "/api/trpc/system.me", access: "signed-in", anonymous: 401, note: "queries, per procedure, see the table above" },
  { file: "trpc/[trpc]/route.ts", method: "POST", probe: "/api/trpc/contacts.create", access: "signed-in", anonymous: 401, note: "mutations, per procedure, see the table above" },
  { file: "health/route.ts", method: "GET", probe: "/api/health", access: "public", anonymous: 200, note: "for load balancers; no data" },
  { file: "metrics/route.ts", method: "GET", probe: "/api/metrics", access: "admin", anonymous: 401, note: "or Authorization: Bearer $METRICS_TOKEN" },
  { file: "cards/route.ts", method: "POST", probe: "/api/cards", access: "signed-in", anonymous: 401 },
  { file: "scans/[id]/image/route.ts", method: "GET", probe: "/api/scans/00000000-0000-4000-8000-000000000000/image", access: "signed-in", anonymous: 401, note: "the scan's owner; the team once the card is a contact's (confirmed or merged); else 404" },
  { file: "contacts/export/route.ts", method: "GET", probe: "/api/contacts/export?format=csv", access: "signed-in", anonymous: 401 },
  { file: "contacts/export/route.ts", method: "POST", probe: "/api/contacts/export", access: "signed-in", anonymous: 401, note: "the same export, for a selection too long for a URL (form or JSON body)" },
  { file: "campaigns/[id]/recipients/route.ts", method: "GET", probe: "/api/campaigns/00000000-0000-4000-8000-000000000000/recipients", access: "admin", anonymous: 401, note: "a campaign's send log as CSV; ?status= one recipient state" },
  { file: "contacts/import/route.ts", method: "POST", probe: "/api/contacts/import", access: "signed-in", anonymous: 401 },
  { file: "contacts/import/preview/route.ts", method: "POST", probe: "/api/contacts/import/preview", access: "signed-in", anonymous: 401 },
  { file: "contacts/import/[id]/problems/route.ts", method: "GET", probe: "/api/contacts/import/00000000-0000-4000-8000-000000000000/problems", access: "signed-in", anonymous: 401, note: "every row an import did not create or merge, as CSV (`?result=merged`: the rows it merged, with the contact each went into); the import's creator and admins, else 404" },
  { file: "telegram/webhook/route.ts", method: "POST", probe: "/api/telegram/webhook", access: "secret", anonymous: 401, note: "Telegram's secret-token header" },
  { file: "unsubscribe/route.ts", method: "GET", probe: "/api/unsubscribe?token=forged", access: "public", anonymous: 400, note: "a signed token in the link; forged or expired is 4xx" },
  { file: "unsubscribe/route.ts", method: "POST", probe: "/api/unsubscribe?token=forged", access: "public", anonymous: 400, note: "one-click unsubscribe (RFC 8058) from the mail client; the same token" },
];
