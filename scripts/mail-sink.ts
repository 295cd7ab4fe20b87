// A local SMTP sink for development and the e2e tests: accepts every message (except addresses
// tagged +bounce, +defer or +flaky: scripts/lib/dev-sink-replies.ts), writes it as
// an .eml file under .data/mail/ (or --dir), and lists what it received as JSON on
// http://127.0.0.1:<port+1>/messages (DELETE clears the list).
//   node node_modules/tsx/dist/cli.mjs scripts/mail-sink.ts [--port 2525] [--http-port 2526] [--dir .data/mail]
// The port also comes from MAIL_SINK_PORT or E2E_SMTP_PORT.
import path from "node:path";
import { startMailSink } from "../server/mail/sink";
import { devSinkReply } from "./lib/dev-sink-replies";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > -1 ? process.argv[i + 1] : undefined;
}

async function main() {
  const port = Number(arg("port") ?? process.env.MAIL_SINK_PORT ?? process.env.E2E_SMTP_PORT ?? 2525);
  const httpPort = Number(arg("http-port") ?? port + 1);
  const dir = path.resolve(arg("dir") ?? process.env.MAIL_SINK_DIR ?? ".data/mail");
  const sink = await startMailSink({ port, httpPort, dir, keep: "headers", reply: devSinkReply });
  console.log(`mail sink: smtp://127.0.0.1:${port} → ${dir} (JSON: http://127.0.0.1:${httpPort}/messages)`);
  const stop = () => void sink.close().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  console.error(`mail sink failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
