// /api/trpc under Next: used by `npm run dev` (next dev) and by `npm start` when
// WEB_TRPC_VIA_NEXT=1. `npm start` otherwise answers /api/trpc in its web processes directly
// (server/http/node-trpc.ts); both call the same handleTrpcRequest.
import { handleTrpcRequest } from "@/server/trpc/http-handler";
import { getActor } from "@/app/_lib/session";
import { clientIpOf, requestIdOf } from "@/server/http/request-meta";
import { timed } from "@/server/metrics/http-metrics";
import { trpcRouteLabel } from "@/server/trpc/route-label";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  const label = trpcRouteLabel(new URL(req.url).pathname);
  return timed(label, req.method, async () => handleTrpcRequest(req, { actor: await getActor(), requestId: requestIdOf(req), ip: clientIpOf(req) }));
}

export { handler as GET, handler as POST };
