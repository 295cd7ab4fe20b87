// A race made reproducible: `db`, except that `other` runs right after the code under test reads a draft
// (draftContact.findFirst), so whatever `other` does lands between that read and the code's own write.
// The real database throughout; the proxy only decides when the other action runs.
import type { Db } from "../db";
import { db } from "./fixtures";

export function dbRunningAfterDraftRead(other: () => Promise<unknown>, opts: { once?: boolean } = {}): Db {
  const base = db();
  let ran = false;
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop !== "draftContact") return Reflect.get(target, prop, receiver);
      const drafts = target.draftContact;
      return new Proxy(drafts, {
        get(t, p, r) {
          const v = Reflect.get(t, p, r);
          if (p !== "findFirst") return typeof v === "function" ? v.bind(t) : v;
          return async (...args: unknown[]) => {
            const found = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
            if (!(opts.once && ran)) {
              ran = true;
              await other();
            }
            return found;
          };
        },
      });
    },
  });
}
