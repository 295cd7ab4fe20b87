// /api/trpc under Next: used by `npm run dev` (next dev) and by `npm start` when
// WEB_TRPC_VIA_NEXT=1. `npm start` otherwise answers /api/trpc in its web processes directly
// (server/http/node-trpc.ts); both call the same handleTrpcRequest.
import { handleTrpcRequest } from "@/server/trpc/http-handler";
import { getActor } from "@/app/_lib/session";
import { clientIpOf, requestIdOf } from "@/server/http/request-meta";
import { timed } from "@/server/metrics/http-metrics";
import { trpcRouteLabel } from "@/server/trpc/route-label";
import { errorResponse } from "@/server/http/error-response";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  const label = trpcRouteLabel(new URL(req.url).pathname);
  const requestId = requestIdOf(req);
  return timed(label, req.method, async () => {
    // Reading the session can fail on its own (the user's role and state come from the
    // database, server/auth/user-state.ts): answered like the direct path does, a database
    // outage as 503 with Retry-After and anything else as a masked 500.
    let actor;
    try {
      actor = await getActor();
    } catch (err) {
      return errorResponse(err, requestId);
    }
    return handleTrpcRequest(req, { actor, requestId, ip: clientIpOf(req) });
  });
}

export { handler as GET, handler as POST };
