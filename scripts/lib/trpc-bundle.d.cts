export declare const TRPC_BUNDLE_FILE: string;
export declare function trpcBundlePath(root: string, distDir: string | undefined): string;
