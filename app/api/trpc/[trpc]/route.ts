import { handleTrpcRequest } from "@/server/trpc/http-handler";
import { getActor } from "@/app/_lib/session";
import { clientIpOf, requestIdOf } from "@/app/_lib/request-meta";
import { timed } from "@/server/metrics/http-metrics";
import { appRouter } from "@/server/trpc/root";

const known = new Set(Object.keys(appRouter._def.procedures));

/** A bounded metrics label: the procedure name, never arbitrary URL text. */
function routeLabel(req: Request): string {
  const names = new URL(req.url).pathname.replace(/^\/api\/trpc\/?/, "").split(",");
  if (names.length > 1) return "/api/trpc/(batch)";
  return known.has(names[0]) ? `/api/trpc/${names[0]}` : "/api/trpc/(unknown)";
}

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  return timed(routeLabel(req), req.method, async () => handleTrpcRequest(req, { actor: await getActor(), requestId: requestIdOf(req), ip: clientIpOf(req) }));
}

export { handler as GET, handler as POST };
