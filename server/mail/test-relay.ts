// For tests: a real SMTP server (smtp-server) that answers the way a misbehaving relay does, at each stage
// of a send: refuse the sender (MAIL FROM), a recipient (RCPT TO) or the content (the reply to the final
// "."), answer the final "." late, or drop the connection instead of answering it. `received` counts what
// the server got in full (the whole message, final "." included), whatever it answered, as a relay would
// have it and might deliver it.
import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";

export type Reply = { code: number; message: string };
/** What to do once the whole message is in: answer (default 250, or `reply`) after `delayMs`, or drop the connection. */
export type DataAction = { reply?: Reply; delayMs?: number; drop?: boolean };

export interface RelayHooks {
  mailFrom?: (address: string) => Reply | null | undefined;
  rcptTo?: (address: string) => Reply | null | undefined;
  /** `n`: how many messages for this recipient the server had received in full before this one. */
  data?: (recipient: string, n: number) => DataAction | null | undefined;
}

export interface TestRelay {
  port: number;
  hooks: RelayHooks;
  received: Map<string, number>;
  close(): Promise<void>;
}

const refuse = (r: Reply) => Object.assign(new Error(r.message), { responseCode: r.code });

export async function startTestRelay(hooks: RelayHooks = {}): Promise<TestRelay> {
  const received = new Map<string, number>();
  const sockets = new Set<Socket>();
  const relay: TestRelay = { port: 0, hooks, received, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onMailFrom(address, _s, cb) {
      const r = relay.hooks.mailFrom?.(address.address);
      cb(r ? refuse(r) : undefined);
    },
    onRcptTo(address, _s, cb) {
      const r = relay.hooks.rcptTo?.(address.address.toLowerCase());
      cb(r ? refuse(r) : undefined);
    },
    onData(stream, session, cb) {
      stream.resume();
      stream.on("end", () => {
        const to = session.envelope.rcptTo[0]?.address.toLowerCase() ?? "";
        const n = received.get(to) ?? 0;
        received.set(to, n + 1);
        const a = relay.hooks.data?.(to, n) ?? {};
        if (a.drop) {
          for (const s of sockets) if (s.remotePort === session.remotePort) s.destroy();
          return;
        }
        setTimeout(() => (a.reply ? cb(refuse(a.reply)) : cb(null, "queued")), a.delayMs ?? 0);
      });
    },
  });
  server.on("error", () => {});
  server.server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  relay.port = (server.server.address() as AddressInfo).port;
  relay.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return relay;
}
