// Bundles the direct tRPC path (server/http/node-trpc.ts) into the Next build folder, where
// `npm start` (scripts/start-web.cjs) loads it. Part of `npm run build`, after `next build`.
//
// Why a bundle: the launcher is plain JavaScript run by plain node (no TypeScript loader on
// the request path; see its header), so the TypeScript it calls is compiled here, once.
// Packages stay external and load from node_modules, as they do for Next's server bundle
// (prom-client in particular must be the one instance the launcher's metrics sum reads).
import path from "node:path";
import { build } from "esbuild";
import { trpcBundlePath } from "./lib/trpc-bundle.cjs";

const ROOT = path.resolve(__dirname, "..");

export async function buildTrpcBundle(distDir = process.env.NEXT_DIST_DIR || ".next"): Promise<string> {
  const outfile = trpcBundlePath(ROOT, distDir);
  await build({
    entryPoints: [path.join(ROOT, "server/http/node-trpc.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    sourcemap: "linked", // stack traces in the logs point at the TypeScript source
    logLevel: "warning",
    // server/ocr/node-require.ts reads import.meta only where `require` is missing, never in CJS.
    logOverride: { "empty-import-meta": "silent" },
  });
  return outfile;
}

if (require.main === module) {
  buildTrpcBundle().then(
    (out) => console.log(`tRPC bundle: ${path.relative(ROOT, out)}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
