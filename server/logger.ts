// Structured JSON logs (pino). Child loggers carry a requestId or jobId so one line
// can be traced back to the request or job that produced it.
import pino from "pino";
import { envSetting } from "./env-setting";

export const logger = pino({
  level: envSetting("LOG_LEVEL") ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: envSetting("SA_SERVICE") ?? "web" },
  redact: { paths: ["password", "*.password", "passwordHash", "*.passwordHash", "authorization", "cookie"], remove: true },
});

export type Logger = pino.Logger;
