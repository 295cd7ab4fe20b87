// What an SMTP failure means for a recipient: retry later (4xx, connection trouble),
// or fail for good (5xx), and whether the address is dead (hard bounce → suppression).
/** `noReply`: no SMTP reply at all (connection refused, timeout, TLS, a dropped socket): the server, not the address. */
export type SendFailure = { kind: "temporary"; reason: string; noReply: boolean } | { kind: "permanent"; reason: string; hardBounce: boolean; noReply: false };

interface SmtpLikeError { message?: string; code?: string; responseCode?: number; response?: string; command?: string }

// nodemailer's `response` is the server's whole reply line, code included ("550 5.1.1 …");
// the code is prefixed only when the text does not already start with it ("550 550 …").
function withCode(code: number | string, text: string): string {
  return (text.startsWith(`${code} `) || text === String(code) ? text : `${code} ${text}`).slice(0, 500);
}

export function classifySmtpError(err: unknown): SendFailure {
  const e = (err ?? {}) as SmtpLikeError;
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const text = (e.response ?? e.message ?? String(err)).replace(/\s+/g, " ").trim().slice(0, 500);
  if (responseCode && responseCode >= 500 && responseCode < 600) {
    // 550/551/553 (and enhanced 5.1.x) say the mailbox does not exist or is not accepted.
    const hardBounce = [550, 551, 553].includes(responseCode) || /\b5\.1\.\d\b/.test(text);
    return { kind: "permanent", reason: withCode(responseCode, text), hardBounce, noReply: false };
  }
  if (responseCode && responseCode >= 400) return { kind: "temporary", reason: withCode(responseCode, text), noReply: false };
  // No SMTP reply: connection refused, timeout, TLS trouble, a dropped socket.
  return { kind: "temporary", reason: `${e.code ?? "ERROR"} ${text}`.slice(0, 500), noReply: true };
}
