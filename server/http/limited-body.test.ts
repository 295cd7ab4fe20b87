// Upload size limits hold for chunked bodies (no Content-Length): the helper stops reading at
// the limit, and the two upload routes answer 413 with their usual message and create nothing.
// The routes are called as functions with a real streamed Request; only the session is faked.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeImage } from "../testing/images";
import { removeScansOf } from "../testing/capture";
import { getStorage } from "../storage";
import { closeQueues } from "../queues/definitions";
import { db, makeUser } from "../testing/fixtures";
import type { Actor } from "../trpc/context";
import { capStream, limitedBody, readFormLimited } from "./limited-body";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/app/_lib/session", () => ({ getActor: async () => session.actor }));
// A batch limit of 2 × 64 KB (+1 MB framing) instead of 50 × 15 MB, so "over the limit" is a few MB here.
vi.mock("@/server/cards/image-rules", async (original) => ({ ...(await original<object>()), MAX_FILE_BYTES: 64 * 1024, MAX_FILES_PER_BATCH: 2 }));

const { POST: uploadCardsPOST } = await import("@/app/api/cards/route");
const { POST: previewPOST } = await import("@/app/api/contacts/import/preview/route");
const { POST: exportPOST } = await import("@/app/api/contacts/export/route");
const { POST: authPOST } = await import("@/app/api/auth/[...nextauth]/route");
const { NextRequest } = await import("next/server");

const CHUNK = 64 * 1024;
const enc = new TextEncoder();

/** A body of `head`, then `junkBytes` of "A" in 64 KB chunks, then `tail`, produced on demand; `pulled()` counts what was taken. */
function source(head: string | Uint8Array, junkBytes: number, tail = "") {
  const parts: Uint8Array[] = [typeof head === "string" ? enc.encode(head) : head];
  let junkLeft = junkBytes;
  let tailSent = false;
  let pulled = 0;
  const junk = new Uint8Array(CHUNK).fill(65);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      let next: Uint8Array | undefined = parts.shift();
      if (!next && junkLeft > 0) {
        next = junkLeft >= CHUNK ? junk : junk.subarray(0, junkLeft);
        junkLeft -= next.byteLength;
      }
      if (!next && !tailSent) {
        tailSent = true;
        next = enc.encode(tail);
      }
      if (!next) return controller.close();
      pulled += next.byteLength;
      controller.enqueue(next);
    },
  });
  return { stream, pulled: () => pulled };
}

/** A POST whose body is a stream: undici sends it chunked, with no Content-Length. */
function chunkedPost(url: string, contentType: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  const req = new Request(url, { method: "POST", body, duplex: "half", headers: { "content-type": contentType, ...headers } } as RequestInit);
  expect(req.headers.get("content-length")).toBeNull();
  return req;
}

const B = "XBOUNDARYX";
const filePart = (name: string, fileName: string, type: string) => `--${B}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
const end = `\r\n--${B}--\r\n`;
/** A multipart body with one file part per entry, as a Blob (its .stream() is a chunked source). */
function multipart(parts: { name: string; fileName: string; type: string; bytes: Uint8Array }[]): Blob {
  const chunks = parts.flatMap((p, i) => [enc.encode(`${i ? "\r\n" : ""}${filePart(p.name, p.fileName, p.type)}`), p.bytes]);
  chunks.push(enc.encode(end));
  return new Blob([Buffer.concat(chunks)]);
}

let rep: Actor;
beforeAll(async () => {
  rep = await makeUser("REP");
  session.actor = rep;
});
afterAll(async () => {
  await removeScansOf(getStorage(), [rep.id]);
  await closeQueues();
});

describe("capStream / limitedBody / readFormLimited", () => {
  it("passes a body at the limit through unchanged, errors one byte over it", async () => {
    const atLimit = source("", 1000);
    expect((await new Response(capStream(atLimit.stream, 1000)).arrayBuffer()).byteLength).toBe(1000);
    const over = source("", 1001);
    await expect(new Response(capStream(over.stream, 1000)).arrayBuffer()).rejects.toThrow();
  });

  it("stops reading an endless chunked body soon after the limit (the rest is never pulled)", async () => {
    const s = source("", 10 * 1024 * 1024 * 1024); // 10 GB if read to the end
    const limited = limitedBody(chunkedPost("http://t.local/x", "text/plain", s.stream), 256 * 1024)!;
    await expect(limited.body.text()).rejects.toThrow();
    expect(limited.exceeded()).toBe(true);
    expect(s.pulled()).toBeLessThan(256 * 1024 + 4 * CHUNK);
  });

  it("refuses a declared Content-Length over the limit without reading anything", async () => {
    const s = source("", 0);
    const req = new Request("http://t.local/x", { method: "POST", body: s.stream, duplex: "half", headers: { "content-length": "2000" } } as RequestInit);
    expect(limitedBody(req, 1000)).toBeNull();
    expect(s.pulled()).toBe(0);
  });

  it("a small chunked form is read; a broken one is 'malformed', not 'too-large'", async () => {
    const ok = await readFormLimited(chunkedPost("http://t.local/x", `multipart/form-data; boundary=${B}`, multipart([{ name: "file", fileName: "a.csv", type: "text/csv", bytes: enc.encode("Name\nA\n") }]).stream()), 4096);
    expect(ok.ok && (ok.form.get("file") as File).name).toBe("a.csv");
    const bad = await readFormLimited(chunkedPost("http://t.local/x", `multipart/form-data; boundary=${B}`, new Blob(["not multipart"]).stream()), 4096);
    expect(bad).toEqual({ ok: false, reason: "malformed" });
    const empty = await readFormLimited(new Request("http://t.local/x", { method: "POST" }), 4096);
    expect(empty).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("POST /api/cards with a chunked body", () => {
  const scansOf = () => db().cardScan.count({ where: { userId: rep.id } });

  it("over the limit → 413 with the Content-Length path's message, no scan created, the body not read to the end", async () => {
    const before = await scansOf();
    // A 20 MB junk part first, a card part after it: the card must never be reached.
    const s = source(filePart("junk", "j.bin", "application/octet-stream"), 20 * 1024 * 1024, `\r\n${filePart("files", "card.png", "image/png")}PNG${end}`);
    const res = await uploadCardsPOST(chunkedPost("http://t.local/api/cards", `multipart/form-data; boundary=${B}`, s.stream));
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toBe("The upload is too large: at most 2 files of 0.0625 MB each.");
    expect(s.pulled()).toBeLessThan(2 * 64 * 1024 + 1_048_576 + 4 * CHUNK);
    expect(await scansOf()).toBe(before);
  });

  it("the same answer when Content-Length declares too much", async () => {
    const res = await uploadCardsPOST(new Request("http://t.local/api/cards", { method: "POST", body: "x", headers: { "content-type": `multipart/form-data; boundary=${B}`, "content-length": "99999999" } }));
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toBe("The upload is too large: at most 2 files of 0.0625 MB each.");
  });

  it("under the limit, a chunked upload still works (202, one scan)", async () => {
    const before = await scansOf();
    const png = await makeImage("png", { width: 320, height: 200, seed: Date.now() % 1000 });
    const body = multipart([{ name: "files", fileName: "card.png", type: "image/png", bytes: png }]);
    const res = await uploadCardsPOST(chunkedPost("http://t.local/api/cards", `multipart/form-data; boundary=${B}`, body.stream()));
    expect(res.status, await res.clone().text()).toBe(202);
    expect(await scansOf()).toBe(before + 1);
  });
});

describe("POST /api/contacts/import/preview with a chunked body", () => {
  const csv = "Name,Email\nA,a@x.example\n";

  it("over 512 KB (+ framing) → 413 with the Content-Length path's message, not read to the end", async () => {
    const s = source(filePart("junk", "j.bin", "application/octet-stream"), 200 * 1024 * 1024, `\r\n${filePart("file", "a.csv", "text/csv")}${csv}${end}`);
    const res = await previewPOST(chunkedPost("http://t.local/api/contacts/import/preview", `multipart/form-data; boundary=${B}`, s.stream));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: "Send at most the first 512 KB of the file for a preview" });
    expect(s.pulled()).toBeLessThan(528 * 1024 + 4 * CHUNK);
  });

  it("a small chunked preview still works", async () => {
    const body = multipart([{ name: "file", fileName: "a.csv", type: "text/csv", bytes: enc.encode(csv) }]);
    const res = await previewPOST(chunkedPost("http://t.local/api/contacts/import/preview", `multipart/form-data; boundary=${B}`, body.stream()));
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("signed out → 401 before anything is read", async () => {
    session.actor = null;
    try {
      const s = source("", 1024 * 1024);
      const res = await previewPOST(chunkedPost("http://t.local/api/contacts/import/preview", `multipart/form-data; boundary=${B}`, s.stream));
      expect(res.status).toBe(401);
      expect(s.pulled()).toBe(0);
    } finally {
      session.actor = rep;
    }
  });
});

describe("POST /api/contacts/export with a chunked body", () => {
  it("over 1 MB → 413, the body not read to the end (JSON and form)", async () => {
    for (const type of ["application/json", "application/x-www-form-urlencoded"]) {
      const s = source(type.includes("json") ? '{"format":"csv","ids":["' : "format=csv&ids=", 64 * 1024 * 1024);
      const res = await exportPOST(chunkedPost("http://t.local/api/contacts/export", type, s.stream));
      expect(res.status).toBe(413);
      expect(s.pulled()).toBeLessThan(1024 * 1024 + 4 * CHUNK);
    }
  });

  it("a selection sent as chunked JSON still downloads; malformed JSON is a 400", async () => {
    const c = await db().contact.create({ data: { fullName: "Chunked Export", ownerId: rep.id } });
    const ok = await exportPOST(chunkedPost("http://t.local/api/contacts/export", "application/json", new Blob([JSON.stringify({ format: "csv", ids: [c.id] })]).stream()));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Chunked Export");
    const bad = await exportPOST(chunkedPost("http://t.local/api/contacts/export", "application/json", new Blob(['{"format":']).stream()));
    expect(bad.status).toBe(400);
  });
});

describe("POST /api/auth/* reads at most 16 KB of any body", () => {
  const ctx = (path: string) => ({ params: Promise.resolve({ nextauth: path.split("/") }) });
  const authRequest = (path: string, type: string, body: ReadableStream<Uint8Array>) =>
    new NextRequest(chunkedPost(`http://t.local/api/auth/${path}`, type, body));

  it("a 64 MB chunked body to the sign-in callback, sign-out, session or _log → 413, not read to the end", async () => {
    for (const path of ["callback/credentials", "signout", "session", "_log"]) {
      const s = source("email=a%40b.example&password=", 64 * 1024 * 1024);
      const res = await authPOST(authRequest(path, "application/x-www-form-urlencoded", s.stream), ctx(path));
      expect(res.status, path).toBe(413);
      expect(s.pulled(), path).toBeLessThan(16_384 + 4 * CHUNK);
    }
  });

  it("malformed JSON to sign-out, session or _log → 400, not a 500", async () => {
    for (const path of ["signout", "session", "_log", "callback/credentials"]) {
      const res = await authPOST(authRequest(path, "application/json", new Blob(["{"]).stream()), ctx(path));
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.message).toBe("Malformed sign-in request");
    }
  });
});
