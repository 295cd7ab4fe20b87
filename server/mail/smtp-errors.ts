// What an SMTP failure means for a recipient: retry later (4xx, connection trouble),
// or fail for good (5xx), and whether the address is dead (hard bounce → suppression).
export type SendFailure = { kind: "temporary"; reason: string } | { kind: "permanent"; reason: string; hardBounce: boolean };

interface SmtpLikeError { message?: string; code?: string; responseCode?: number; response?: string; command?: string }

export function classifySmtpError(err: unknown): SendFailure {
  const e = (err ?? {}) as SmtpLikeError;
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const text = (e.response ?? e.message ?? String(err)).replace(/\s+/g, " ").trim().slice(0, 500);
  if (responseCode && responseCode >= 500 && responseCode < 600) {
    // 550/551/553 (and enhanced 5.1.x) say the mailbox does not exist or is not accepted.
    const hardBounce = [550, 551, 553].includes(responseCode) || /\b5\.1\.\d\b/.test(text);
    return { kind: "permanent", reason: `${responseCode} ${text}`.slice(0, 500), hardBounce };
  }
  if (responseCode && responseCode >= 400) return { kind: "temporary", reason: `${responseCode} ${text}`.slice(0, 500) };
  // No SMTP reply: connection refused, timeout, TLS trouble, a dropped socket.
  return { kind: "temporary", reason: `${e.code ?? "ERROR"} ${text}`.slice(0, 500) };
}
