// next-auth v4 configuration: credentials provider, JWT sessions carrying id and role.
// Imports only next-auth (not next/*), so the worker and tests can load it too.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { authenticate } from "./authenticate";

function clientIp(headers: Record<string, unknown> | undefined): string {
  const fwd = headers?.["x-forwarded-for"];
  const first = typeof fwd === "string" ? fwd.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "unknown";
}

export function buildAuthOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            return await authenticate(getDb(), credentials, clientIp(req?.headers as Record<string, unknown>));
          } catch (e) {
            // The route wrapper answers 429 before we get here; this is the race fallback.
            if (e instanceof AppError && e.code === "RATE_LIMITED") return null;
            throw e;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          const u = user as { id: string; role: "ADMIN" | "REP" };
          token.uid = u.id;
          token.role = u.role;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) {
          session.user.id = token.uid as string;
          session.user.role = token.role as "ADMIN" | "REP";
        }
        return session;
      },
    },
    cookies: undefined, // next-auth's defaults: HttpOnly, SameSite=Lax, Secure when NEXTAUTH_URL is https
  };
}

let cached: NextAuthOptions | undefined;
export function getAuthOptions(): NextAuthOptions {
  return (cached ??= buildAuthOptions());
}
