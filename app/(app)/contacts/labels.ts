export const SOURCE_LABELS: Record<string, string> = {
  card_scan: "Card scan",
  text_input: "Pasted text",
  telegram: "Telegram",
  linkedin_search: "LinkedIn search",
  linkedin_connection: "LinkedIn connection",
  manual: "Manual / file",
};

export function exportUrl(format: "csv" | "vcf", params: Record<string, string | undefined>): string {
  const q = new URLSearchParams({ format });
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `/api/contacts/export?${q.toString()}`;
}
