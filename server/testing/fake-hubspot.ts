// A local server that follows HubSpot's documented batch APIs for contacts
// (POST /crm/v3/objects/contacts/batch/upsert by email and /batch/update by record id, at most 100 inputs,
// Bearer token), keeps the records, and records requests. Behaviours for tests: revoked tokens (401), one 429
// with Retry-After, 400 VALIDATION_ERROR when any input's email is invalid, an update naming a record that does not
// exist (207 with OBJECT_NOT_FOUND, or 404 for the whole call: `missingAs`), and 409 CONFLICT when an update gives
// a record the email of another one.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface UpsertInput { id: string; idProperty?: string; properties: Record<string, string> }
export interface RecordedRequest { authorization: string | undefined; kind: "upsert" | "update"; inputs: UpsertInput[]; status: number }

export interface FakeHubspot {
  basePath: string;
  requests: RecordedRequest[];
  revoked: Set<string>;
  /** HubSpot's contacts by record id: their properties, email among them */
  records: Map<string, Record<string, string>>;
  /** how an update naming a record that does not exist is answered */
  missingAs: "207" | "404";
  /** deletes a record as a HubSpot user would */
  deleteRecord(id: string): void;
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function startFakeHubspot(port = 0): Promise<FakeHubspot> {
  const requests: RecordedRequest[] = [];
  const revoked = new Set<string>();
  const ids = new Map<string, string>();
  const records = new Map<string, Record<string, string>>();
  const state = { missingAs: "207" as "207" | "404" };
  let limited = 0;
  let retryAfter = 1;
  let nextId = 5_000;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const kind = req.url?.startsWith("/crm/v3/objects/contacts/batch/upsert") ? "upsert" : req.url?.startsWith("/crm/v3/objects/contacts/batch/update") ? "update" : null;
    if (req.method !== "POST" || !kind) {
      return send(404, { status: "error", message: "Not found", category: "OBJECT_NOT_FOUND" });
    }
    const auth = req.headers.authorization;
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { inputs?: UpsertInput[] };
    const inputs = body.inputs ?? [];
    const record = (status: number) => requests.push({ authorization: auth, kind, inputs, status });
    const token = auth?.replace(/^Bearer /, "");
    if (!token || revoked.has(token)) {
      record(401);
      return send(401, { status: "error", message: "Authentication credentials not found. This API supports OAuth 2.0 authentication.", category: "INVALID_AUTHENTICATION", correlationId: "c1" });
    }
    if (limited > 0) {
      limited--;
      record(429);
      return send(429, { status: "error", message: "You have reached your secondly limit.", errorType: "RATE_LIMIT", category: "RATE_LIMITS", policyName: "SECONDLY", correlationId: "c2" }, { "Retry-After": String(retryAfter) });
    }
    if (inputs.length === 0 || inputs.length > 100) {
      record(400);
      return send(400, { status: "error", message: `Batch size must be between 1 and 100, got ${inputs.length}`, category: "VALIDATION_ERROR", correlationId: "c3" });
    }
    if (kind === "update") return update(inputs, record, send);
    const bad = inputs.find((i) => !EMAIL.test(i.properties.email ?? i.id));
    if (bad) {
      record(400);
      return send(400, { status: "error", message: `Property values were not valid: [{"isValid":false,"message":"Email address ${bad.id} is invalid","error":"INVALID_EMAIL","name":"email"}]`, category: "VALIDATION_ERROR", correlationId: "c4" });
    }
    record(200);
    const now = new Date().toISOString();
    send(200, {
      status: "COMPLETE",
      startedAt: now,
      completedAt: now,
      results: inputs.map((i) => {
        const email = i.id.toLowerCase();
        const isNew = !ids.has(email);
        if (isNew) ids.set(email, String(++nextId));
        const id = ids.get(email)!;
        records.set(id, { ...records.get(id), ...i.properties, email });
        return { id, properties: { ...records.get(id), hs_object_id: id }, createdAt: now, updatedAt: now, archived: false, new: isNew };
      }),
    });
  });

  function update(inputs: UpsertInput[], record: (status: number) => void, send: (status: number, body: unknown) => void) {
    const missing = inputs.filter((i) => !records.has(i.id)).map((i) => i.id);
    if (missing.length && state.missingAs === "404") {
      record(404);
      return send(404, { status: "error", message: `Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid. Missing ids: ${missing.join(", ")}`, category: "OBJECT_NOT_FOUND", correlationId: "c5" });
    }
    const bad = inputs.find((i) => i.properties.email !== undefined && !EMAIL.test(i.properties.email));
    if (bad) {
      record(400);
      return send(400, { status: "error", message: `Property values were not valid: [{"isValid":false,"message":"Email address ${bad.properties.email} is invalid","error":"INVALID_EMAIL","name":"email"}]`, category: "VALIDATION_ERROR", correlationId: "c6" });
    }
    const taken = inputs.find((i) => {
      const owner = i.properties.email ? ids.get(i.properties.email.toLowerCase()) : undefined;
      return owner !== undefined && owner !== i.id;
    });
    if (taken) {
      record(409);
      return send(409, { status: "error", message: `Contact already exists. Existing ID: ${ids.get(taken.properties.email.toLowerCase())}`, category: "CONFLICT", correlationId: "c7" });
    }
    const now = new Date().toISOString();
    const results = inputs.filter((i) => records.has(i.id)).map((i) => {
      const before = records.get(i.id)!;
      const after = { ...before, ...i.properties };
      if (i.properties.email) {
        if (before.email) ids.delete(before.email.toLowerCase());
        after.email = i.properties.email.toLowerCase();
        ids.set(after.email, i.id);
      }
      records.set(i.id, after);
      return { id: i.id, properties: { ...after, hs_object_id: i.id }, createdAt: now, updatedAt: now, archived: false };
    });
    record(missing.length ? 207 : 200);
    send(missing.length ? 207 : 200, {
      status: "COMPLETE",
      startedAt: now,
      completedAt: now,
      results,
      ...(missing.length ? { numErrors: 1, errors: [{ status: "error", category: "OBJECT_NOT_FOUND", message: "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.", context: { ids: missing } }] } : {}),
    });
  }
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const bound = (server.address() as AddressInfo).port;
  return {
    basePath: `http://127.0.0.1:${bound}`,
    requests,
    revoked,
    records,
    get missingAs() {
      return state.missingAs;
    },
    set missingAs(v) {
      state.missingAs = v;
    },
    deleteRecord(id) {
      const email = records.get(id)?.email;
      if (email) ids.delete(email.toLowerCase());
      records.delete(id);
    },
    rateLimitNext(times, seconds) {
      limited = times;
      retryAfter = seconds;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
