// `npm test` must not be changed by a developer's .env (SA_SKIP_DOTENV keeps our own loader out),
// but the e2e web processes run Next, and Next reads the checkout's .env files itself whatever we
// say. Its loader never overrides a variable the environment already has, an empty one included,
// and server/env.ts reads an empty variable as unset. So every variable those files name that the
// test run has not set is set to "" for the e2e processes: Next then leaves it alone and the
// setting takes its default, as in a clean clone.
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/** Every file Next's loader may read, whatever NODE_ENV the processes end up with. */
const DOTENV_FILES = [".env", ".env.local", ".env.development", ".env.development.local", ".env.production", ".env.production.local", ".env.test", ".env.test.local"];
/** Left alone: Next's own switches, which an empty value would change rather than neutralise. */
const KEEP = /^(NODE_ENV$|__NEXT|NEXT_RUNTIME$)/;

/** `env` with each variable named in `dir`'s .env files, and not set in `env`, set to "". */
export function blankDotenvKeys(dir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const file of DOTENV_FILES) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, file), "utf8");
    } catch {
      continue;
    }
    for (const key of Object.keys(parseEnv(text))) {
      if (!KEEP.test(key) && out[key] === undefined) out[key] = "";
    }
  }
  return out;
}
