// next-auth v4 configuration: credentials provider, JWT sessions carrying id, role (as at
// sign-in) and the user's session version. The app never trusts the role in the token: it
// reads the current one through server/auth/user-state.ts (server/auth/session-token.ts).
// Imports only next-auth (not next/*), so the worker and tests can load it too.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { authenticate } from "./authenticate";
import { userState } from "./user-state";
import { logger } from "../logger";
import { CLIENT_IP_HEADER, stampedClientIp } from "../http/request-meta";

const REVOKED = "session revoked";

// The address the web launcher decided (server/http/request-meta.ts), as the route wrapper in
// app/api/auth/[...nextauth]/route.ts reads it, so both count failures for the same address.
function clientIp(headers: Record<string, unknown> | undefined): string {
  const stamped = headers?.[CLIENT_IP_HEADER];
  return stampedClientIp(typeof stamped === "string" ? stamped : undefined);
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
      async jwt({ token, user }) {
        if (user) {
          const u = user as { id: string; role: "ADMIN" | "REP"; sessionVersion: number };
          token.uid = u.id;
          token.role = u.role;
          token.sv = u.sessionVersion;
          return token;
        }
        // /api/auth/session re-issues the token to slide its expiry. A revoked session must
        // not be extended: throwing makes next-auth clear the cookie (signed out), and the
        // role it reports is the current one, as the app's own session read does.
        const state = typeof token.uid === "string" ? await userState(token.uid) : null;
        if (!state || !state.active || state.sessionVersion !== (token.sv ?? 0)) throw new Error(REVOKED);
        token.role = state.role;
        token.name = state.name;
        token.email = state.email;
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
    // next-auth's errors go to the app's log (warnings and debug keep next-auth's default). A
    // revoked session being refused is expected (a disabled user's open tab), not an error.
    logger: {
      error(code, metadata) {
        if (code === "JWT_SESSION_ERROR" && metadata instanceof Error && metadata.message === REVOKED) return;
        const err = metadata instanceof Error ? metadata : metadata?.error;
        logger.error({ code, err: err ? { message: err.message, stack: err.stack } : metadata }, "next-auth error");
      },
    },
    cookies: undefined, // next-auth's defaults: HttpOnly, SameSite=Lax, Secure when NEXTAUTH_URL is https
  };
}

let cached: NextAuthOptions | undefined;
export function getAuthOptions(): NextAuthOptions {
  return (cached ??= buildAuthOptions());
}
