export declare function securityHeaders(isProd: boolean): { key: string; value: string }[];
