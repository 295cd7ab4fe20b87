// The metrics label for a tRPC request: the procedure name, never arbitrary URL text, so the
// latency histogram's label set stays bounded whatever callers put in the path.
import { appRouter } from "./root";

const known = new Set(Object.keys(appRouter._def.procedures));

export function trpcRouteLabel(pathname: string): string {
  const names = pathname.replace(/^\/api\/trpc\/?/, "").split(",");
  if (names.length > 1) return "/api/trpc/(batch)";
  return known.has(names[0]) ? `/api/trpc/${names[0]}` : "/api/trpc/(unknown)";
}
