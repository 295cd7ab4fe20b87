// Card photos not sent yet, kept in this browser's IndexedDB so that a reload, a tab the phone's OS discarded or a
// closed browser does not lose them (a camera photo may exist nowhere else). Each record belongs to one user: a
// colleague signing in on the same phone neither sees nor sends them. Plain IndexedDB, no wrapper: four calls.
//
// A photo is written here before it is sent and removed once the server has answered for it (docs/capture.md,
// "Uploads on a bad connection"). Everything here fails soft: `openUnsentStore` gives null where IndexedDB cannot be
// used (some private modes, a browser that blocks it), and `add` says why a photo was not kept, so the page keeps it in
// memory and tells the rep it is kept only while the page stays open.

export const DB_NAME = "sales-agent-unsent";
const DB_VERSION = 1;
const STORE = "photos";
const BY_USER = "byUser";

/** At most this many photos and bytes kept for one user on one device; past them a photo is kept in memory only. */
export const MAX_STORED_PHOTOS = 100;
export const MAX_STORED_BYTES = 300 * 1024 * 1024;

export interface StoredPhoto {
  /** Random, per photo. */
  id: string;
  userId: string;
  blob: Blob;
  name: string;
  type: string;
  size: number;
  /** The batch tags line the photo was taken with (or, after the server refused those, the line it was last sent with). */
  tags: string;
  /** The server refused `tags`: the photo waits for the rep to fix them and tap "Send again", not sent by itself. */
  tagsRefused: boolean;
  /** When the rep took or picked it (ms since the epoch). */
  takenAt: number;
}

/** Why a photo is not in the store: no IndexedDB, the browser's quota, our own cap, or another storage error. */
export type NotKept = "unavailable" | "quota" | "cap" | "error";

export interface UnsentStore {
  /** This user's photos, oldest first. */
  list(): Promise<StoredPhoto[]>;
  /** Stores one photo for this user unless that passes the cap; its id, or why it was not stored. */
  add(photo: Omit<StoredPhoto, "id" | "userId" | "size">): Promise<{ id: string } | { notKept: NotKept }>;
  /** Changes the tags of this user's photo `id` (sent again with a fixed tags line). Best effort. */
  update(id: string, patch: Pick<StoredPhoto, "tags" | "tagsRefused">): Promise<void>;
  /** Forgets these photos of this user (the server answered for them). Best effort. */
  remove(ids: string[]): Promise<void>;
}

const request = <T>(req: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException("The transaction was aborted", "AbortError"));
    tx.onerror = () => reject(tx.error);
  });

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "id" }).createIndex(BY_USER, "userId");
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab opening a later version: let it, this page's store then fails soft.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    // Held by an older version in another tab: give up rather than wait, the page works from memory.
    req.onblocked = () => reject(new DOMException("IndexedDB is blocked by another tab", "InvalidStateError"));
  });
}

// crypto.randomUUID exists only in secure contexts; a self-hosted server may be reached over plain http on a LAN.
const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

const isQuota = (e: unknown) => e instanceof DOMException && (e.name === "QuotaExceededError" || e.name === "UnknownError");

/** The store of `userId`'s photos, or null when this browser cannot keep any (no IndexedDB, or it refuses to open). */
export async function openUnsentStore(userId: string): Promise<UnsentStore | null> {
  let db: IDBDatabase;
  try {
    if (typeof indexedDB === "undefined" || !indexedDB) return null;
    db = await openDb();
  } catch {
    return null;
  }
  // Synchronous: a transaction stays usable only until the task that made it ends.
  /** This user's records (the index by user). */
  const rowsOf = async (store: IDBObjectStore) => (await request(store.index(BY_USER).getAll(IDBKeyRange.only(userId)))) as StoredPhoto[];
  const mine = (mode: IDBTransactionMode) => {
    const tx = db.transaction(STORE, mode);
    return { tx, store: tx.objectStore(STORE) };
  };
  return {
    async list() {
      try {
        const { store } = mine("readonly");
        const rows = await rowsOf(store);
        return rows.filter((r) => r.userId === userId && r.blob instanceof Blob).sort((a, b) => a.takenAt - b.takenAt || a.name.localeCompare(b.name));
      } catch {
        return [];
      }
    },
    async add(photo) {
      try {
        const { tx, store } = mine("readwrite");
        const finished = done(tx);
        // Counted and written in one transaction: two batches stored at once cannot both pass the cap.
        const rows = await rowsOf(store);
        const bytes = rows.reduce((sum, r) => sum + (r.size ?? 0), 0);
        if (rows.length >= MAX_STORED_PHOTOS || bytes + photo.blob.size > MAX_STORED_BYTES) {
          tx.abort();
          await finished.catch(() => undefined);
          return { notKept: "cap" as const };
        }
        const id = newId();
        store.put({ ...photo, id, userId, size: photo.blob.size } satisfies StoredPhoto);
        await finished;
        return { id };
      } catch (e) {
        return { notKept: isQuota(e) ? "quota" : "error" };
      }
    },
    async update(id, patch) {
      try {
        const { tx, store } = mine("readwrite");
        const finished = done(tx);
        const row = (await request(store.get(id))) as StoredPhoto | undefined;
        if (row && row.userId === userId) store.put({ ...row, ...patch });
        await finished;
      } catch {
        // The photo stays with its earlier tags; it is still in the page.
      }
    },
    async remove(ids) {
      if (!ids.length) return;
      try {
        const { tx, store } = mine("readwrite");
        const finished = done(tx);
        for (const id of ids) {
          const row = (await request(store.get(id))) as StoredPhoto | undefined;
          if (row && row.userId === userId) store.delete(id);
        }
        await finished;
      } catch {
        // Left in the store: sent again on the next visit, where the server answers "already uploaded".
      }
    },
  };
}
