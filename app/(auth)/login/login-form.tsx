"use client";
import { useState } from "react";
import { useHydrated } from "@/app/_lib/use-hydrated";
import { safeCallbackPath } from "@/server/http/safe-callback";

const messages: Record<number, string> = {
  401: "Wrong email or password.",
  422: "Enter a valid email and password.",
  429: "Too many failed attempts. Wait a few minutes and try again.",
};

// next-auth's credentials flow by hand (CSRF token, then the callback), so that the
// server's own status codes (401/422/429) reach the form instead of a generic error.
async function signInWithCredentials(email: string, password: string, callbackUrl: string): Promise<number> {
  try {
    const { csrfToken } = (await fetch("/api/auth/csrf").then((r) => r.json())) as { csrfToken: string };
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl, json: "true" }),
    });
    if (res.ok) {
      const data = (await res.json().catch(() => ({}))) as { url?: string };
      return data.url && new URL(data.url, window.location.href).searchParams.get("error") ? 401 : 200;
    }
    return res.status;
  } catch {
    return 0;
  }
}

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Disabled until hydrated, and POST if submitted anyway: a password never reaches a URL.
  const hydrated = useHydrated();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const status = await signInWithCredentials(String(form.get("email") ?? ""), String(form.get("password") ?? ""), callbackUrl);
    setPending(false);
    if (status === 200) {
      // Checked again here: the page already did, but this is the line that navigates.
      window.location.assign(safeCallbackPath(callbackUrl));
      return;
    }
    setError(messages[status] ?? "Sign-in failed. Try again.");
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="label">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required maxLength={254} className="input" />
      </div>
      <div>
        <label htmlFor="password" className="label">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={200} className="input" />
      </div>
      {error && <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700">{error}</p>}
      <button type="submit" className="btn-primary w-full" disabled={!hydrated || pending}>{pending ? "Signing in…" : "Sign in"}</button>
    </form>
  );
}
