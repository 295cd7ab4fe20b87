import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getActor } from "@/app/_lib/session";
import { safeCallbackPath } from "@/server/http/safe-callback";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getActor()) redirect("/");
  const { callbackUrl } = await searchParams;
  // Only same-site paths, so the form cannot be used as an open redirect (see server/http/safe-callback.ts).
  const safeCallback = safeCallbackPath(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="card w-full max-w-sm">
        <h1 className="mb-1 text-xl font-semibold">Sales Agent</h1>
        <p className="mb-6 text-sm text-slate-500">Sign in to capture cards and run campaigns.</p>
        <LoginForm callbackUrl={safeCallback} />
      </div>
    </main>
  );
}
