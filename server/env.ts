// Environment, validated once with zod. Every process (web, worker, scripts) reads
// configuration through getEnv() so a bad value fails at start-up with a clear message
// instead of deep inside a request.
import { z } from "zod";
import { readDevSecret } from "./dev-secret";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/sales_agent"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  // The hash tag keeps all of a queue's keys in one Redis Cluster slot.
  QUEUE_PREFIX: z.string().min(1).max(40).default("{sa}"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
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
  WORKER_HEARTBEAT_MAX_AGE_MS: z.coerce.number().int().min(1000).default(30_000),
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
});

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
  let secret = env.NEXTAUTH_SECRET;
  if (!secret) {
    if (env.NODE_ENV === "production") {
      throw new Error("NEXTAUTH_SECRET is required in production (generate one with `openssl rand -base64 32`).");
    }
    // Dev and test: a random secret generated once and kept under .data/.
    secret = readDevSecret();
  }
  return { ...env, NEXTAUTH_SECRET: secret };
}

export function getEnv(): Env {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}
