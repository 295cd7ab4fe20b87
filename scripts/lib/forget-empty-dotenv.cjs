// Next's .env loader sets a `KEY=` line as "" in process.env. A .env copied from .env.example has
// dozens of them (UNSUBSCRIBE_SECRET=, OCR_WORKERS= …), and code that read `process.env.X ?? default`
// took "" as the value: unsubscribe links were signed with an empty key (anyone could forge one)
// and the worker ran one OCR thread. A line without a value means "not set", so the loaders
// (scripts/lib/load-dotenv.ts, scripts/start-web.cjs) forget it again; a variable set to "" in the
// environment itself is left as it is (the files never override it). server/env-setting.ts reads
// "" as unset too, for a web process whose .env Next loaded itself.
// CommonJS so that the launcher, which runs without tsx, can use it too.

/** @param {Record<string, string | undefined>} parsedEnv what loadEnvConfig set from the files */
function forgetEmptyDotenvValues(parsedEnv) {
  for (const [key, value] of Object.entries(parsedEnv ?? {})) {
    if (value === "" && process.env[key] === "") delete process.env[key];
  }
}

module.exports = { forgetEmptyDotenvValues };
