// Structured JSON logs (pino). Child loggers carry a requestId or jobId so one line
// can be traced back to the request or job that produced it.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: process.env.SA_SERVICE ?? "web" },
  redact: { paths: ["password", "*.password", "passwordHash", "*.passwordHash", "authorization", "cookie"], remove: true },
});

export type Logger = pino.Logger;
