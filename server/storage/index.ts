import { getEnv } from "../env";
import type { BlobStorage } from "./blob-storage";
import { LocalStorage } from "./local-storage";
import { S3Storage } from "./s3-storage";

export type { BlobStorage } from "./blob-storage";

let storage: BlobStorage | undefined;

export function getStorage(): BlobStorage {
  return (storage ??= createStorage());
}

/** STORAGE_DRIVER picks the driver: "local" (default, STORAGE_DIR) or "s3" (docs/scaling.md). */
function createStorage(): BlobStorage {
  const env = getEnv();
  if (env.STORAGE_DRIVER === "s3") {
    return new S3Storage({
      bucket: env.S3_BUCKET!,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    });
  }
  return new LocalStorage(env.STORAGE_DIR);
}
