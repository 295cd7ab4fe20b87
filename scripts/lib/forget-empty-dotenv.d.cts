/** Deletes from process.env each variable the .env files set to "" (and nothing set elsewhere). */
export function forgetEmptyDotenvValues(parsedEnv: Record<string, string | undefined> | undefined): void;
