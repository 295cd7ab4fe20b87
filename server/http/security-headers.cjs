// @ts-check
// The security headers every response carries. Plain CommonJS because two places outside the
// TypeScript build read it: next.config.js (Next adds them to its own responses) and the web
// launcher's direct tRPC path (server/http/node-trpc.ts, bundled for scripts/start-web.cjs),
// which answers /api/trpc without Next and must send exactly the same ones.
"use strict";

/**
 * @param {boolean} isProd The CSP has no 'unsafe-eval' in production; Next's dev server needs
 * it for fast refresh.
 * @returns {{ key: string; value: string }[]}
 */
function securityHeaders(isProd) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${isProd ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(self), microphone=(), geolocation=()" },
  ];
}

module.exports = { securityHeaders };
