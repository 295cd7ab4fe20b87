// @ts-check
const isProd = process.env.NODE_ENV === "production";

// Security headers for every response (shared with the launcher's direct tRPC path).
const { securityHeaders } = require("./server/http/security-headers.cjs");

// The web reads the rest of its env lazily (server/env.ts); this one check runs at
// `next start` so a web pointed at a Redis Cluster with an untagged QUEUE_PREFIX refuses
// to start, like the worker does (same rule as hasHashTag in server/env.ts).
if (process.env.REDIS_CLUSTER_NODES && !/^[^{]*\{[^}]+\}/.test(process.env.QUEUE_PREFIX || "{sa}")) {
  throw new Error(`QUEUE_PREFIX "${process.env.QUEUE_PREFIX}" has no Redis Cluster hash tag; with REDIS_CLUSTER_NODES set it must contain one, e.g. "{sa}"`);
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Lets two checkouts (or two test runs) build side by side without sharing .next/.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native or worker-thread packages stay outside the bundle and load from node_modules.
  // prom-client too: the clustered launcher (scripts/start-web.ts) and the app must share one
  // instance of its registry in each process for the cross-process metrics sum.
  serverExternalPackages: ["@node-rs/argon2", "sharp", "tesseract.js", "bullmq", "ioredis", "pino", "@techstark/opencv-js", "zxing-wasm", "pg", "prom-client"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: securityHeaders(isProd),
      },
    ];
  },
};

module.exports = nextConfig;
