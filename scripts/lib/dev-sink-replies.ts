// Failures on demand for the development mail sink (`npm run dev`, scripts/mail-sink.ts).
//
// Why: the dev sink accepts every recipient, so on a fresh install an admin trying the product
// can never see a bounce, a retried deferral, "Retry failed" or the auto-suppression of a hard
// bounce without editing the database. A tag in the address's local part picks the answer:
//   jane+bounce@x  → 550 on every attempt (a hard bounce: the contact is suppressed)
//   jane+defer@x   → 451 on every attempt (temporary: retried, then FAILED)
//   jane+flaky@x   → 451 on the first attempt, accepted on the next (retried once, then SENT)
// Only the sink run by the developer scripts uses this; production mail never reaches it.

export type SinkReply = { code: number; message: string } | null;

/** The tag this address carries (the last "+tag" of the local part), lower case, or null. */
function tagOf(address: string): string | null {
  const at = address.lastIndexOf("@");
  if (at <= 0) return null;
  const local = address.slice(0, at);
  const plus = local.lastIndexOf("+");
  return plus === -1 ? null : local.slice(plus + 1).toLowerCase();
}

/** The sink's answer to RCPT TO for this address on its n-th offer (0 = first). */
export function devSinkReply(address: string, attempt: number): SinkReply {
  switch (tagOf(address)) {
    case "bounce":
      return { code: 550, message: "5.1.1 Mailbox does not exist (dev mail sink: the address is tagged +bounce)" };
    case "defer":
      return { code: 451, message: "4.3.0 Try again later (dev mail sink: the address is tagged +defer)" };
    case "flaky":
      return attempt === 0 ? { code: 451, message: "4.3.0 Try again later (dev mail sink: +flaky refuses the first attempt)" } : null;
    default:
      return null;
  }
}
