// What an SMTP failure means for a recipient (docs/campaigns.md, "Failures"):
//  - temporary: known NOT to have been delivered (no connection, TLS, auth, a 4xx reply): retry later;
//  - permanent: a 5xx reply: fail the row. A hard bounce (→ suppression) only when the refusal is about the
//    recipient's mailbox; a refusal of the sender, the relay account or the content is the same for every
//    recipient, so it suppresses nobody and always counts toward the auto-pause (`setup`);
//  - uncertain: the connection failed with no reply while the message may already have been handed over
//    (RFC 1047: the server may have it and its answer to the final "." was lost). Never re-sent automatically.
/** `noReply`: no SMTP reply at all (connection refused, timeout, TLS, a dropped socket): the server, not the address. */
export type SendFailure =
  | { kind: "temporary"; reason: string; noReply: boolean }
  | { kind: "permanent"; reason: string; hardBounce: boolean; setup: boolean; noReply: false }
  | { kind: "uncertain"; reason: string; noReply: true };

interface SmtpLikeError { message?: string; code?: string; responseCode?: number; response?: string; command?: string; syscall?: string }

// nodemailer's `response` is the server's whole reply line, code included ("550 5.1.1 …");
// the code is prefixed only when the text does not already start with it ("550 550 …").
function withCode(code: number | string, text: string): string {
  return (text.startsWith(`${code} `) || text === String(code) ? text : `${code} ${text}`).slice(0, 500);
}

/** The enhanced status code (RFC 3463) right after the reply code: "550 5.1.1 …" → "5.1.1". */
function enhancedCode(text: string): string | null {
  return /^(?:\d{3}[ -])?([245]\.\d{1,3}\.\d{1,3})(?=\s|$)/.exec(text)?.[1] ?? null;
}

// X.1.1–X.1.6, X.1.9, X.1.10 (no such mailbox, bad destination system or syntax, moved, null MX) and X.2.1
// (mailbox disabled) are about the recipient. Not X.1.7/X.1.8 (the SENDER's address), not X.1.0 (either side:
// only at RCPT TO), not X.2.2 (mailbox full: usually cleared by the owner, suppressing it would be for ever).
const RECIPIENT_CODE = /^5\.(?:1\.(?:[1-69]|10)|2\.1)$/;
// Without an enhanced code, a 550/551/553 to RCPT TO is a dead mailbox unless its text says otherwise.
const NOT_ABOUT_MAILBOX = /relay|sender|spam|policy|block|reputation|authenticat|not permitted|spf|dkim|dmarc/i;

function refusal(responseCode: number, text: string, command: string | undefined): { hardBounce: boolean; setup: boolean } {
  const enhanced = enhancedCode(text);
  // MAIL FROM is about the sender (fromEmail, the relay account), whatever the code says.
  if (command === "MAIL FROM") return { hardBounce: false, setup: true };
  const hardBounce = enhanced
    ? RECIPIENT_CODE.test(enhanced) || (command === "RCPT TO" && enhanced === "5.1.0")
    : command === "RCPT TO" && [550, 551, 553].includes(responseCode) && !NOT_ABOUT_MAILBOX.test(text);
  // X.7 is security or policy (relaying denied, not allowed to send as, spam); DATA refuses the content.
  // A DATA-stage refusal with a recipient-specific code (5.2.2 mailbox full, 5.1.x) is that recipient's, not the set-up's.
  const recipientSpecific = !!enhanced && /^5\.[12]\./.test(enhanced);
  const setup = !hardBounce && ((command === "DATA" && !recipientSpecific) || !!command?.startsWith("AUTH")
    || (enhanced ? /^5\.(?:7\.\d+|1\.[78])$/.test(enhanced) : NOT_ABOUT_MAILBOX.test(text)));
  return { hardBounce, setup };
}

/**
 * nodemailer (lib/smtp-connection) reports every failure without a reply with command "CONN", whatever the stage,
 * so the stage is read from its code and message. Known to come before the message was handed over: "Connection
 * timeout" and "Greeting never received" (ETIMEDOUT), a socket error of connect() or the DNS lookup (ESOCKET,
 * syscall connect/getaddrinfo), TLS (ETLS, or an ESOCKET without syscall: the handshake), EAUTH, EDNS, and errors
 * nodemailer raises itself (command "API"). Not known: an idle-socket "Timeout" (ETIMEDOUT), "Connection closed
 * unexpectedly" (ECONNECTION) and a reset or broken pipe (ESOCKET read/write): each can happen while waiting for
 * the answer to the final ".", when the server may already have the message.
 */
function mayHaveBeenHandedOver(e: SmtpLikeError): boolean {
  const msg = e.message ?? "";
  if (e.command === "API") return false;
  if (e.code === "ETIMEDOUT") return !/^(Connection timeout|Greeting never received)/.test(msg);
  if (e.code === "ECONNECTION") return /^Connection closed unexpectedly/.test(msg);
  if (e.code === "ESOCKET") return e.syscall === "read" || e.syscall === "write";
  // The pool gives up on a message whose connection closed mid-send (only with maxRequeues set).
  return /after connection was closed/.test(msg);
}

export function classifySmtpError(err: unknown): SendFailure {
  const e = (err ?? {}) as SmtpLikeError;
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const text = (e.response ?? e.message ?? String(err)).replace(/\s+/g, " ").trim().slice(0, 500);
  if (responseCode && responseCode >= 500 && responseCode < 600) {
    return { kind: "permanent", reason: withCode(responseCode, text), ...refusal(responseCode, text, e.command), noReply: false };
  }
  // A 4xx reply, whenever it came (also to the final "."), means the server did not take the message.
  if (responseCode && responseCode >= 400) return { kind: "temporary", reason: withCode(responseCode, text), noReply: false };
  const reason = `${e.code ?? "ERROR"} ${text}`.slice(0, 500);
  if (mayHaveBeenHandedOver(e)) return { kind: "uncertain", reason, noReply: true };
  return { kind: "temporary", reason, noReply: true };
}
