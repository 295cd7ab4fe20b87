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
// `fields`: for a 422, the fields the server named (its zod fieldErrors).
async function signInWithCredentials(email: string, password: string, callbackUrl: string): Promise<{ status: number; fields?: string[] }> {
  try {
    const { csrfToken } = (await fetch("/api/auth/csrf").then((r) => r.json())) as { csrfToken: string };
    const res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl, json: "true" }),
    });
    if (res.ok) {
      const data = (await res.json().catch(() => ({}))) as { url?: string };
      return { status: data.url && new URL(data.url, window.location.href).searchParams.get("error") ? 401 : 200 };
    }
    if (res.status === 422) {
      const body = (await res.json().catch(() => ({}))) as { error?: { fieldErrors?: Record<string, string[]> } };
      return { status: 422, fields: Object.keys(body.error?.fieldErrors ?? {}) };
    }
    return { status: res.status };
  } catch {
    return { status: 0 };
  }
}

type Field = "email" | "password";

/**
 * The fields an answer is about, so they get aria-invalid and point at the message (aria-describedby):
 * a wrong email or password (401) is about both, since which one is wrong is not said on purpose; a 422 about
 * those the server named (both when it named neither); rate limits and outages about neither.
 */
function fieldsInError(status: number, named: readonly string[] = []): Field[] {
  if (status === 401) return ["email", "password"];
  if (status !== 422) return [];
  const bad = (["email", "password"] as const).filter((f) => named.includes(f));
  return bad.length ? bad : ["email", "password"];
}

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Field[]>([]);
  const [pending, setPending] = useState(false);
  // Disabled until hydrated, and POST if submitted anyway: a password never reaches a URL.
  const hydrated = useHydrated();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    setInvalid([]);
    const { status, fields } = await signInWithCredentials(String(form.get("email") ?? ""), String(form.get("password") ?? ""), callbackUrl);
    setPending(false);
    if (status === 200) {
      // Checked again here: the page already did, but this is the line that navigates.
      window.location.assign(safeCallbackPath(callbackUrl));
      return;
    }
    setError(messages[status] ?? "Sign-in failed. Try again.");
    setInvalid(fieldsInError(status, fields));
  }

  // aria-invalid and aria-describedby only on the fields the error is about (fieldsInError).
  const errorProps = (field: Field) =>
    error && invalid.includes(field) ? { "aria-invalid": true as const, "aria-describedby": "login-error" } : {};

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="label">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required maxLength={254} className="input" {...errorProps("email")} />
      </div>
      <div>
        <label htmlFor="password" className="label">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={200} className="input" {...errorProps("password")} />
      </div>
      {error && <p id="login-error" role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700">{error}</p>}
      <button type="submit" className="btn-primary w-full" disabled={!hydrated || pending}>{pending ? "Signing in…" : "Sign in"}</button>
    </form>
  );
}
