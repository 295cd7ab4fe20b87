// @ts-check
// Where `npm run build` puts the direct tRPC path's bundle (scripts/build-trpc.ts) and where
// `npm start` (scripts/start-web.cjs) looks for it: inside Next's build folder, so that a build
// and its bundle always travel together (NEXT_DIST_DIR included).
"use strict";
const path = require("node:path");

const TRPC_BUNDLE_FILE = "sales-agent-trpc.cjs";

/** @param {string} root @param {string | undefined} distDir */
function trpcBundlePath(root, distDir) {
  return path.resolve(root, distDir || ".next", TRPC_BUNDLE_FILE);
}

module.exports = { TRPC_BUNDLE_FILE, trpcBundlePath };
