// A refused call in words for the page: the server's own message for the field at fault ("at most 1,000 contacts at
// a time", "Use at least 4 different characters") when the 422 names one, else the error's message. zod's own
// top-level message ("Invalid input") says nothing a user can act on.
export function errorText(e: unknown): string {
  const data = (e as { data?: { fieldErrors?: unknown; details?: { fieldErrors?: unknown } } } | null)?.data;
  for (const source of [data?.fieldErrors, data?.details?.fieldErrors]) {
    if (!source || typeof source !== "object") continue;
    for (const messages of Object.values(source as Record<string, unknown>)) {
      const first = Array.isArray(messages) ? messages.find((m): m is string => typeof m === "string") : undefined;
      if (first) return first;
    }
  }
  return (e as { message?: string } | null)?.message ?? "Something went wrong";
}
