// Environment, validated once with zod. Every process (web, worker, scripts) reads
// configuration through getEnv() so a bad value fails at start-up with a clear message
// instead of deep inside a request.
import { z } from "zod";
import { readDevSecret } from "./dev-secret";
import { allowedNetworks } from "./integrations/allowed-networks";

// host:port, with an IPv6 address in brackets ([::1]:7000).
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;
function parseHostPort(s: string): { host: string; port: number } {
  const [, host, port] = HOST_PORT.exec(s)!;
  return { host: host.replace(/^\[|\]$/g, ""), port: Number(port) };
}

/**
 * True when every key `${prefix}:…` hashes by a tag inside the prefix, as Redis Cluster
 * computes it: the first "{", then the first "}" after it, with something in between.
 */
export function hasHashTag(prefix: string): boolean {
  return /^[^{]*\{[^}]+\}/.test(prefix);
}

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/sales_agent"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  // Redis Cluster: seed nodes "host:port,host:port". Unset: one Redis at REDIS_URL. When set,
  // REDIS_URL only supplies the username, password and TLS (rediss://) used for every node.
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(HOST_PORT, "each node must be host:port")).min(1, "list at least one host:port"))
    .transform((list) => list.map(parseHostPort))
    .pipe(z.array(z.object({ host: z.string(), port: z.number().int().min(1, "port out of range").max(65535, "port out of range") })))
    .optional(),
  // The hash tag keeps all of a queue's keys in one Redis Cluster slot.
  QUEUE_PREFIX: z.string().min(1).max(40).default("{sa}"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  // Key of the unsubscribe links (server/mail/unsubscribe-token.ts) instead of NEXTAUTH_SECRET. At least 16
  // characters: anyone holding one real link could recover a short one offline and forge links for any address.
  // Only blanks is unset too (as envSetting() read it before); the value itself is kept as is: it is a key.
  UNSUBSCRIBE_SECRET: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().min(16, "at least 16 characters (generate one with `openssl rand -base64 32`)").optional()),
  // The app's public URL. Required in production (see parseEnv): the worker builds the links in
  // campaign mail (unsubscribe) from it, and next-auth its redirects and cookie names.
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  STORAGE_DIR: z.string().min(1).default(".data/storage"),
  // Card images: "local" (a folder, STORAGE_DIR) or "s3" (any S3-compatible object store).
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  S3_ENDPOINT: z.string().url().optional(), // unset for AWS; http(s)://host:port for MinIO, R2, …
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(), // unset: the AWS SDK's default chain (IAM role …)
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(["true", "false", "1", "0"]).optional().transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  // At least two heartbeats (one every 5 s, worker/start-worker.ts): a shorter age made a healthy worker read as
  // down most of the time (hostile review).
  WORKER_HEARTBEAT_MAX_AGE_MS: z.coerce.number().int().min(10_000, "at least 10000: two of the worker's 5 s heartbeats").default(30_000),
  // How long SIGTERM waits for the worker's active jobs. Checked here because "25s", "abc" or a value past what a
  // timer can hold made the shutdown timer fire at once and the worker exit 1 mid-job (hostile review).
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(25_000),
  // Tesseract threads in a worker (default: one per CPU).
  OCR_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  // How often each worker looks for scans and imports whose job Redis lost, and how long a row
  // must have been unfinished before it counts (server/queues/recover-lost-jobs.ts).
  LOST_JOB_CHECK_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  DEFAULT_PHONE_REGION: z.string().length(2).toUpperCase().default("US"),
  // Telegram intake is off unless a bot token is set.
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "looks like 123456:ABC…").optional(),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  // Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; derived from NEXTAUTH_SECRET when unset.
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/).optional(),
  // 32-byte key (base64 or hex) that encrypts CRM tokens at rest; derived from NEXTAUTH_SECRET when unset.
  CRM_ENCRYPTION_KEY: z.string().min(32).optional(),
  HUBSPOT_API_BASE: z.string().url().default("https://api.hubapi.com"),
  TELEGRAM_BOT_USERNAME: z.string().regex(/^[A-Za-z0-9_]{3,64}$/).optional(),
  // Campaign mail: the SMTP server (pooled transport) and the default sender.
  SMTP_URL: z.string().url().default("smtp://127.0.0.1:2525"),
  MAIL_FROM: z.string().min(3).max(320).default("Sales Agent <no-reply@localhost>"),
  // Private addresses or CIDR ranges webhooks may be delivered to ("10.0.5.20,192.168.10.0/24");
  // every other private, loopback or link-local address is refused (docs/security.md, "Webhooks").
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .default("")
    .superRefine((value, ctx) => {
      try {
        allowedNetworks(value);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    }),
});

/** REDIS_CLUSTER_NODES parsed and checked as getEnv() does, for scripts that bypass getEnv(). */
export function parseClusterNodes(value: string): { host: string; port: number }[] {
  return envSchema.shape.REDIS_CLUSTER_NODES.parse(value) ?? [];
}

export type Env = z.infer<typeof envSchema> & { NEXTAUTH_SECRET: string };

let cached: Env | undefined;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, as .env files often carry `KEY=`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  const env = result.data;
  if (env.STORAGE_DRIVER === "s3" && !env.S3_BUCKET) throw new Error("Invalid environment:\n  S3_BUCKET: required when STORAGE_DRIVER=s3");
  if (env.REDIS_CLUSTER_NODES) {
    // BullMQ's scripts (and our MULTIs) touch several keys at once; on a cluster they only
    // work if every key of the app hashes to one slot, i.e. the prefix carries a hash tag.
    if (!hasHashTag(env.QUEUE_PREFIX)) {
      throw new Error(`Invalid environment:\n  QUEUE_PREFIX: "${env.QUEUE_PREFIX}" has no Redis Cluster hash tag; with REDIS_CLUSTER_NODES set it must contain one, e.g. "{sa}"`);
    }
    // A cluster only has database 0; a REDIS_URL naming another one would be silently ignored.
    if (!/^\/?0?$/.test(new URL(env.REDIS_URL).pathname)) throw new Error("Invalid environment:\n  REDIS_URL: Redis Cluster has only database 0; remove the /db from REDIS_URL");
  }
  let secret = env.NEXTAUTH_SECRET;
  if (!secret && env.NODE_ENV === "production") {
    throw new Error("NEXTAUTH_SECRET is required in production (generate one with `openssl rand -base64 32`; web and worker must share it).");
  }
  if (env.NODE_ENV === "production" && !cleaned.NEXTAUTH_URL) {
    // The default (http://localhost:3000) would put localhost into every unsubscribe link the
    // worker mails out, and nobody would notice (operations review F2).
    throw new Error("NEXTAUTH_URL is required in production: the app's public URL (e.g. https://sales.example.com); web and worker must both have it, and the same NEXTAUTH_SECRET.");
  }
  if (!secret) {
    // Dev and test: a random secret generated once and kept under .data/.
    secret = readDevSecret();
  }
  return { ...env, NEXTAUTH_SECRET: secret };
}

export function getEnv(): Env {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}
