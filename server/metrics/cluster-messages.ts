// The messages a clustered web process (scripts/start-web.ts) exchanges with its primary
// to serve /api/metrics summed over every process.
export const METRICS_REQUEST = "sa:metrics-request";
export const METRICS_RESPONSE = "sa:metrics-response";

export interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}

export interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: number;
  text?: string;
  error?: string;
}
