// Encrypts integration secrets at rest (AES-256-GCM). The key comes from the environment
// (CRM_ENCRYPTION_KEY) and never from the database, so a database dump alone is useless.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getEnv } from "../env";

function key(): Buffer {
  const env = getEnv();
  if (env.CRM_ENCRYPTION_KEY) {
    const raw = /^[0-9a-f]{64}$/i.test(env.CRM_ENCRYPTION_KEY) ? Buffer.from(env.CRM_ENCRYPTION_KEY, "hex") : Buffer.from(env.CRM_ENCRYPTION_KEY, "base64");
    if (raw.length !== 32) throw new Error("CRM_ENCRYPTION_KEY must decode to 32 bytes");
    return raw;
  }
  return Buffer.from(hkdfSync("sha256", env.NEXTAUTH_SECRET, "sales-agent", "crm-token-encryption", 32));
}

/** `v1.<iv>.<tag>.<ciphertext>`, all base64url. */
export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function open(sealed: string): string {
  const [v, iv, tag, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || !ct) throw new Error("unknown secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
