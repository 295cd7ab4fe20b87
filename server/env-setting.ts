// A setting read straight from process.env, outside server/env.ts' schema. An empty value is no
// value: a `.env` copied from .env.example carries `UNSUBSCRIBE_SECRET=`, `OCR_WORKERS=` and the like, and
// Next's .env loader sets each such line as "". Read with `??`, "" was taken as the setting: unsubscribe
// links signed with an empty key (anyone could forge one), one OCR thread, limits of 0.
// server/env.ts' parseEnv treats "" as unset for the same reason.

/** process.env[name], or undefined when it is unset, empty or only spaces. */
export function envSetting(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}
