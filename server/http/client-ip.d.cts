import type { IncomingMessage } from "node:http";

export declare const CLIENT_IP_HEADER: "x-sa-client-ip";
export declare const LAUNCHER_MARKER: "SA_CLIENT_IP_FROM_LAUNCHER";
export declare const MAX_TRUST_PROXY_HOPS: number;
export declare function normalizeIp(raw: string | undefined | null): string | undefined;
export declare function clientIpFrom(peer: string | undefined, forwardedFor: string | string[] | undefined, hops: number): string;
export declare function parseTrustProxyHops(raw: string | undefined): number;
export declare function stampClientIp(req: IncomingMessage, hops: number): string;
