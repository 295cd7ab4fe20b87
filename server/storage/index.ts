import { getEnv } from "../env";
import type { BlobStorage } from "./blob-storage";
import { LocalStorage } from "./local-storage";

export type { BlobStorage } from "./blob-storage";

let storage: BlobStorage | undefined;

export function getStorage(): BlobStorage {
  return (storage ??= new LocalStorage(getEnv().STORAGE_DIR));
}
