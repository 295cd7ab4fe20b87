// The scan page's interactive part (scan-capture-client.tsx), given the signed-in user's id from the session cookie the
// request already carries: the uploader keeps unsent photos in this browser per user, so a colleague signing in on
// the same phone never sees or sends them. No extra request: the (app) layout has decoded the same token already
// (memoised, app/_lib/session.ts).
import { requireActor } from "@/app/_lib/session";
import { ScanCaptureClient } from "./scan-capture-client";

export async function ScanCapture() {
  const actor = await requireActor();
  return <ScanCaptureClient userId={actor.id} />;
}
