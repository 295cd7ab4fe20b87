// `require` that works both when this code runs as CommonJS (tsx with this package.json, no "type": "module")
// and as ESM (vitest, bundlers). `import.meta` is only touched when `require` does not exist.
import { createRequire } from "node:module";

export const nodeRequire: NodeJS.Require = typeof require === "function" ? require : createRequire(import.meta.url);
