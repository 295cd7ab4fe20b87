// S3-compatible storage driver (AWS S3, MinIO, Ceph RGW, Cloudflare R2, Backblaze B2 …),
// selected with STORAGE_DRIVER=s3. Same contract as LocalStorage: keys are checked by
// assertSafeKey, a missing object reads as AppError NOT_FOUND, and an unreachable or
// refusing object store is AppError UNAVAILABLE (503 + Retry-After), not a masked 500.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { AppError } from "../errors";
import { assertSafeKey, type BlobStorage } from "./blob-storage";

export interface S3StorageOptions {
  bucket: string;
  region?: string;
  /** For S3-compatible servers (MinIO …); unset for AWS itself. */
  endpoint?: string;
  /** Path-style URLs (http://host/bucket/key): what most self-hosted servers need. */
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Key prefix inside the bucket, e.g. "sales-agent/" (optional). */
  prefix?: string;
  /** Per request; a hung object store must not hang an upload. */
  requestTimeoutMs?: number;
}

export class S3Storage implements BlobStorage {
  readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;

  constructor(opts: S3StorageOptions) {
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ?? "";
    const config: S3ClientConfig = {
      region: opts.region ?? "us-east-1",
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle ?? !!opts.endpoint,
      // One retry: the caller (an upload, a job with its own retries) decides the rest.
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: opts.requestTimeoutMs ?? 20_000 },
    };
    if (opts.accessKeyId && opts.secretAccessKey) config.credentials = { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey };
    this.client = new S3Client(config);
  }

  private keyOf(key: string): string {
    assertSafeKey(key);
    return this.prefix + key;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const Key = this.keyOf(key);
    // A PUT is atomic in S3: readers see the old object or the new one, never half.
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: data, ContentLength: data.length })).catch((e: unknown) => {
      throw s3Error(e, "write");
    });
  }

  async get(key: string): Promise<Buffer> {
    const Key = this.keyOf(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      if (!res.Body) throw new AppError("NOT_FOUND", "Image not found");
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (e) {
      throw s3Error(e, "read");
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.keyOf(key);
    // Deleting a missing key succeeds in S3, as it does locally.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })).catch((e: unknown) => {
      throw s3Error(e, "delete");
    });
  }

  async exists(key: string): Promise<boolean> {
    let Key: string;
    try {
      Key = this.keyOf(key);
    } catch {
      return false; // an unsafe key never exists (as LocalStorage answers)
    }
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    } catch (e) {
      const mapped = s3Error(e, "read");
      if (mapped instanceof AppError && mapped.code === "NOT_FOUND") return false;
      throw mapped;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

/** Missing → NOT_FOUND (404); unreachable, 5xx, throttled or refused → UNAVAILABLE (503). */
export function s3Error(e: unknown, op: "read" | "write" | "delete"): unknown {
  if (e instanceof AppError) return e;
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = err?.$metadata?.httpStatusCode;
  const name = err?.name ?? "";
  if (name === "NoSuchKey" || name === "NotFound" || (status === 404 && name !== "NoSuchBucket")) {
    return new AppError("NOT_FOUND", "Image not found", { cause: e });
  }
  const unreachable = NETWORK_CODES.has(err?.code ?? "") || name === "TimeoutError" || name === "RequestTimeout" || (status === undefined && !!err?.code);
  const refused = status !== undefined && (status >= 500 || status === 403 || status === 429 || name === "NoSuchBucket" || name === "SlowDown");
  if (unreachable || refused) {
    const what = op === "write" ? "Image storage is not writable right now." : "Image storage is not reachable right now.";
    return new AppError("UNAVAILABLE", what, { cause: e, retryAfter: 30 });
  }
  return e;
}
