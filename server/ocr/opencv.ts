// Lazy loader for OpenCV compiled to WASM (@techstark/opencv-js). Loaded on first use (~0.2 s), then shared.
import { nodeRequire } from "./node-require";

// The package's typings pull in an optional dependency ("mirada"); we use a loose type for the handful of calls we make.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CV = any;

let loading: Promise<CV> | null = null;

export function loadOpenCv(): Promise<CV> {
  loading ??= new Promise<CV>((resolve, reject) => {
    try {
      // The Emscripten build installs process-wide "uncaughtException"/"unhandledRejection" handlers that abort
      // the whole process; that is not its call to make in a server. Remove whatever it adds.
      const before = {
        uncaughtException: process.listeners("uncaughtException"),
        unhandledRejection: process.listeners("unhandledRejection"),
      };
      const mod = nodeRequire("@techstark/opencv-js") as CV;
      for (const l of process.listeners("uncaughtException")) {
        if (!before.uncaughtException.includes(l)) process.removeListener("uncaughtException", l);
      }
      for (const l of process.listeners("unhandledRejection")) {
        if (!before.unhandledRejection.includes(l)) process.removeListener("unhandledRejection", l);
      }
      const ready = () => {
        // The Emscripten module is "thenable"; resolving with it directly would loop forever.
        const cv = mod;
        delete cv.then;
        resolve(cv);
      };
      if (mod.Mat && mod.calledRun !== false && typeof mod.getBuildInformation === "function") {
        try {
          new mod.Mat().delete();
          ready();
          return;
        } catch {
          /* runtime not initialised yet */
        }
      }
      mod.onRuntimeInitialized = ready;
    } catch (err) {
      reject(err);
    }
  });
  return loading;
}
