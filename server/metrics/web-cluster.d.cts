export declare const METRICS_REQUEST: "sa:metrics-request";
export declare const METRICS_RESPONSE: "sa:metrics-response";
export declare function ensureWebDefaultMetrics(): void;
