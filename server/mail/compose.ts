// Builds one campaign message: deterministic Message-ID, List-Unsubscribe headers
// (RFC 2369 + RFC 8058 one-click), HTML and plain-text parts.
import type Mail from "nodemailer/lib/mailer";

export interface ComposeInput {
  campaignId: string;
  recipientId: string;
  from: { name: string; address: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  unsubscribeUrl: string;
}

export function senderDomain(address: string): string {
  const d = address.split("@")[1]?.trim().toLowerCase();
  return d && /^[a-z0-9.-]+$/.test(d) ? d : "localhost";
}

/** The same recipient always gets the same Message-ID: a resend is recognisable as one. */
export function campaignMessageId(campaignId: string, recipientId: string, fromAddress: string): string {
  return `<${campaignId}.${recipientId}@${senderDomain(fromAddress)}>`;
}

export function composeMessage(m: ComposeInput): Mail.Options {
  return {
    from: { name: m.from.name, address: m.from.address },
    to: m.to,
    subject: m.subject,
    // An HTML body with nothing in it (only white space, or everything inside an {{#if}} this contact does not
    // meet) is left out: mail clients prefer the HTML alternative and showed a blank message instead of the text.
    html: m.html.trim() ? m.html : undefined,
    text: m.text,
    messageId: campaignMessageId(m.campaignId, m.recipientId, m.from.address),
    headers: {
      "List-Unsubscribe": `<${m.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "X-Campaign-Id": m.campaignId,
    },
  };
}
