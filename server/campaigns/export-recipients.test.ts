// The campaign send-log export (F12): one CSV row per recipient with the log's columns,
// hostile names neutralized or kept as text, the state filter, the deterministic
// Message-ID of uncertain rows, keyset batches read one at a time, and who may export.
import { randomUUID } from "node:crypto";
import { describe, expect, it, beforeAll } from "vitest";
import { parse } from "csv-parse/sync";
import { callerFor, db, makeUser } from "../testing/fixtures";
import type { Db } from "../db";
import type { Actor } from "../trpc/context";
import { readAll } from "../contacts/export-contacts";
import { campaignLogQuery, exportCampaignLog, LOG_COLUMNS } from "./export-recipients";
import { listRecipients } from "./campaign-view";

let admin: Actor;
let rep: Actor;
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  rep = await makeUser("REP");
});

async function campaignWith(rows: { name: string | null; email: string | null; status: string; attempts?: number; reason?: string | null; messageId?: string | null; sent?: boolean }[]) {
  const tag = `log-${randomUUID().slice(0, 8)}`;
  const c = await callerFor(admin).campaigns.create({ name: `Log =export ${tag}`, fromName: "Sales", fromEmail: "sales@acme.test", subject: "Hi", html: "<p>Hi</p>", text: "Hi", audience: { kind: "tag", tag } });
  const ids: string[] = [];
  for (const [i, r] of rows.entries()) {
    const contactId = randomUUID();
    // A null name: the contact was deleted after launch (the log keeps its row).
    if (r.name !== null) {
      await db().$executeRaw`INSERT INTO "Contact" ("id", "fullName", "email", "ownerId", "tags", "source", "updatedAt") VALUES (${contactId}::uuid, ${r.name}, ${r.email}, ${admin.id}::uuid, ARRAY[${tag}]::text[], 'manual', now())`;
    }
    const [row] = await db().$queryRaw<{ id: string }[]>`
      INSERT INTO "CampaignRecipient" ("id", "campaignId", "contactId", "email", "batchNo", "status", "attempts", "reason", "messageId", "sentAt")
      VALUES (gen_random_uuid(), ${c.id}::uuid, ${contactId}::uuid, ${r.email}, ${i}, ${r.status}::campaign_recipient_status, ${r.attempts ?? 0}, ${r.reason ?? null}, ${r.messageId ?? null}, ${r.sent ? new Date("2026-03-01T10:00:00Z") : null})
      RETURNING "id"`;
    ids.push(row.id);
  }
  return { id: c.id, ids };
}

const csvRows = async (stream: ReadableStream<Uint8Array>) => {
  const text = await readAll(stream);
  expect(text.startsWith("\uFEFF")).toBe(true);
  return parse(text, { bom: true }) as string[][];
};

describe("campaign log export", () => {
  it("has one row per recipient with the log's columns; formula cells neutralized, <script> kept as text", async () => {
    const c = await campaignWith([
      { name: "=cmd|' /C calc'!A0", email: "a@example.test", status: "SENT", attempts: 1, messageId: "<m1@acme.test>", sent: true },
      { name: "<script>alert(1)</script>", email: "b@example.test", status: "FAILED", attempts: 4, reason: "Gave up after 4 attempts: 421 busy", messageId: "<m2@acme.test>" },
      { name: "@SUM(A1)", email: "c@example.test", status: "UNCERTAIN", attempts: 1, reason: "The worker stopped mid-send" },
      { name: "Plain, \"Quoted\" Name", email: null, status: "SKIPPED", reason: "-no email" },
      { name: null, email: "gone@example.test", status: "PENDING" },
    ]);
    const out = await exportCampaignLog(db(), admin, campaignLogQuery.parse({ id: c.id }));
    expect(out.filename).toMatch(/^campaign-log-export-log-[a-z0-9]+-log-\d{4}-\d\d-\d\d\.csv$/);
    const rows = await csvRows(out.body);
    expect(rows[0]).toEqual([...LOG_COLUMNS]);
    expect(rows).toHaveLength(6);
    const byEmail = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    expect(byEmail["a@example.test"]).toEqual(["a@example.test", "'=cmd|' /C calc'!A0", "SENT", "1", "", "2026-03-01T10:00:00.000Z", "<m1@acme.test>", expect.any(String)]);
    expect(byEmail["b@example.test"].slice(0, 7)).toEqual(["b@example.test", "<script>alert(1)</script>", "FAILED", "4", "Gave up after 4 attempts: 421 busy", "", "<m2@acme.test>"]);
    // UNCERTAIN: no stored Message-ID, but the deterministic one it was sent with, if it was.
    const uncertainId = c.ids[2];
    expect(byEmail["c@example.test"].slice(1, 7)).toEqual(["'@SUM(A1)", "UNCERTAIN", "1", "The worker stopped mid-send", "", `<${c.id}.${uncertainId}@acme.test>`]);
    expect(byEmail[""].slice(1, 7)).toEqual(["Plain, \"Quoted\" Name", "SKIPPED", "0", "'-no email", "", ""]);
    expect(byEmail["gone@example.test"].slice(1, 7)).toEqual(["", "PENDING", "0", "", "", ""]);
  });

  it("matches the page's log, row for row, and filters by one state", async () => {
    const c = await campaignWith([
      { name: "One", email: "1@example.test", status: "FAILED", reason: "550 no such user" },
      { name: "Two", email: "2@example.test", status: "SENT", sent: true, messageId: "<x@acme.test>" },
      { name: "Three", email: "3@example.test", status: "FAILED", reason: "554 refused" },
      { name: "Four", email: "4@example.test", status: "UNCERTAIN" },
    ]);
    const page = await listRecipients(db(), { id: c.id, limit: 200 });
    const all = (await csvRows((await exportCampaignLog(db(), admin, { id: c.id })).body)).slice(1);
    expect(all.map((r) => [r[0], r[2], r[4]])).toEqual(page.rows.map((r) => [r.email, r.status, r.reason ?? ""]));

    const failed = await exportCampaignLog(db(), admin, campaignLogQuery.parse({ id: c.id, status: "FAILED" }));
    expect(failed.filename).toContain("-log-failed-");
    const rows = (await csvRows(failed.body)).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(["1@example.test", "3@example.test"]);
    expect(rows.every((r) => r[2] === "FAILED")).toBe(true);
  });

  it("an empty selection is a header-only file", async () => {
    const c = await campaignWith([{ name: "One", email: "1@example.test", status: "SENT", sent: true }]);
    const rows = await csvRows((await exportCampaignLog(db(), admin, { id: c.id, status: "UNCERTAIN" })).body);
    expect(rows).toEqual([[...LOG_COLUMNS]]);
  });

  it("reads in keyset batches, one query per batch, and only as the reader pulls", async () => {
    const c = await campaignWith(Array.from({ length: 10 }, (_, i) => ({ name: `P${i}`, email: `p${i}@example.test`, status: "SENT", sent: true })));
    const real = db();
    const queries: string[] = [];
    // Counts the batch queries and the rows each returned; everything else goes to the real client.
    const counting = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === "$queryRaw") {
          return async (...args: unknown[]) => {
            const rows = (await Reflect.apply(target.$queryRaw, target, args)) as unknown[];
            queries.push(`${rows.length}`);
            return rows;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as Db;
    const out = await exportCampaignLog(counting, admin, { id: c.id }, { batchSize: 3 });
    const reader = out.body.getReader();
    const chunks: Uint8Array[] = [];
    const first = await reader.read();
    chunks.push(first.value!);
    // The stream keeps at most one batch ahead of the reader: not the whole log at once.
    expect(queries.length).toBeLessThanOrEqual(2);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(queries).toEqual(["3", "3", "3", "1"]);
    expect(chunks).toHaveLength(4);

    // Every recipient exactly once, in id order, across the batch boundaries.
    const full = (await csvRows((await exportCampaignLog(real, admin, { id: c.id }, { batchSize: 3 })).body)).slice(1);
    expect(full).toHaveLength(10);
    expect(new Set(full.map((r) => r[0])).size).toBe(10);
  });

  it("refuses reps, unknown campaigns and bad input", async () => {
    const c = await campaignWith([{ name: "One", email: "1@example.test", status: "SENT", sent: true }]);
    await expect(exportCampaignLog(db(), rep, { id: c.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(exportCampaignLog(db(), admin, { id: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(campaignLogQuery.safeParse({ id: "nope" }).success).toBe(false);
    expect(campaignLogQuery.safeParse({ id: c.id, status: "BOUNCED" }).success).toBe(false);
    expect(campaignLogQuery.safeParse({ id: c.id, status: "FAILED" }).success).toBe(true);
  });
});
