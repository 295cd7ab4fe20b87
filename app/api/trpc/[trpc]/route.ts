import { handleTrpcRequest } from "@/server/trpc/http-handler";
import { getActor } from "@/app/_lib/session";
import { clientIpOf, requestIdOf } from "@/app/_lib/request-meta";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  return handleTrpcRequest(req, { actor: await getActor(), requestId: requestIdOf(req), ip: clientIpOf(req) });
}

export { handler as GET, handler as POST };
