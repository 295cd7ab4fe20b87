// A local server that follows HubSpot's documented batch-upsert API
// (POST /crm/v3/objects/contacts/batch/upsert, at most 100 inputs, Bearer token) and
// records requests. Behaviours for tests: revoked tokens (401), one 429 with
// Retry-After, and 400 VALIDATION_ERROR when any input's email is invalid.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface UpsertInput { id: string; idProperty?: string; properties: Record<string, string> }
export interface RecordedRequest { authorization: string | undefined; inputs: UpsertInput[]; status: number }

export interface FakeHubspot {
  basePath: string;
  requests: RecordedRequest[];
  revoked: Set<string>;
  rateLimitNext(times: number, retryAfterSeconds: number): void;
  close(): Promise<void>;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function startFakeHubspot(port = 0): Promise<FakeHubspot> {
  const requests: RecordedRequest[] = [];
  const revoked = new Set<string>();
  const ids = new Map<string, string>();
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
    if (req.method !== "POST" || !req.url?.startsWith("/crm/v3/objects/contacts/batch/upsert")) {
      return send(404, { status: "error", message: "Not found", category: "OBJECT_NOT_FOUND" });
    }
    const auth = req.headers.authorization;
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { inputs?: UpsertInput[] };
    const inputs = body.inputs ?? [];
    const record = (status: number) => requests.push({ authorization: auth, inputs, status });
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
        return { id: ids.get(email), properties: { ...i.properties, email, hs_object_id: ids.get(email) }, createdAt: now, updatedAt: now, archived: false, new: isNew };
      }),
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const bound = (server.address() as AddressInfo).port;
  return {
    basePath: `http://127.0.0.1:${bound}`,
    requests,
    revoked,
    rateLimitNext(times, seconds) {
      limited = times;
      retryAfter = seconds;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
