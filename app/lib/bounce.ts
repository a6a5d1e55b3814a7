// Reading a bounce: what a receiving mail server said about one of our
// messages. A delivery status notification (RFC 3464: multipart/report with a
// message/delivery-status part) gives an Action and a Status per recipient:
// a failed delivery with status 5.x.x is hard (the address does not work),
// 4.x.x is soft (a full mailbox, a server down); "delayed", "delivered",
// "relayed" and "expanded" are no failure at all. A bounce without that part
// counts as soft unless its text says plainly that the address does not
// exist: on one line, a 550-553 reply with the enhanced code 5.1.1/5.1.10
// (bad mailbox) or with a "no such user" phrase. Kept conservative on purpose: a
// wrong "hard" stops a member's mail.

export type BounceSeverity = "hard" | "soft" | "none";
export type Bounce = { severity: BounceSeverity; status: string; recipient: string; diagnostic: string };

/** The body of the message/delivery-status (or message/global-delivery-status) part of a raw message, or null. */
export function deliveryStatusPart(raw: string): string | null {
  // Line by line, bounded (the first 256 KB; up to 20 more header lines in the
  // part): a regular expression here took minutes on a hostile megabyte.
  const lines = raw.slice(0, 256 * 1024).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!/^content-type:[ \t]*message\/(?:global-)?delivery-status\b/i.test(lines[i])) continue;
    let j = i + 1;
    while (j < lines.length && j - i <= 20 && lines[j].trim() !== "") j++;
    if (j >= lines.length || lines[j].trim() !== "") continue;
    const body: string[] = [];
    for (let k = j + 1; k < lines.length && !lines[k].startsWith("--"); k++) body.push(lines[k]);
    return body.join("\n");
  }
  return null;
}

/** The field groups of a delivery-status body (per-message first, then one per recipient), names lower-cased. */
export function deliveryStatusFields(body: string): Record<string, string>[] {
  const unfolded = body.replace(/\r\n/g, "\n").replace(/\n[ \t]+/g, " ");
  return unfolded
    .split(/\n\s*\n/)
    .map((group) => {
      const fields: Record<string, string> = {};
      for (const line of group.split("\n")) {
        const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line.trim());
        if (m && !(m[1].toLowerCase() in fields)) fields[m[1].toLowerCase()] = m[2].trim();
      }
      return fields;
    })
    .filter((f) => Object.keys(f).length > 0);
}

const RANK: Record<BounceSeverity, number> = { none: 0, soft: 1, hard: 2 };
// "550 5.1.1", "550-5.1.1", "Status: 5.1.1", qmail's "(#5.1.1)": a bad destination mailbox.
const BAD_MAILBOX = /\b55[0-3][ -]5\.1\.10?\b|\(#5\.1\.1\)|\bStatus:\s*5\.1\.10?\b/i;
const NO_SUCH_USER =
  /\b(user unknown|unknown user|no such (user|mailbox|recipient|address)|(address|mailbox|user|recipient|account)\b[^.\n]{0,40}\b(does not|doesn't|no longer) exists?|mailbox (not found|unavailable)|recipient address rejected|invalid recipient)\b/i;

function severityOf(action: string, status: string): BounceSeverity {
  const a = action.toLowerCase();
  if (a && a !== "failed") return "none";
  const klass = /^([245])\.\d{1,3}\.\d{1,3}/.exec(status)?.[1];
  if (klass === "5") return "hard";
  if (klass === "4") return "soft";
  if (klass === "2") return "none";
  return a === "failed" ? "soft" : "none";
}

/**
 * What a bounce says: the worst outcome over its recipients (ParaNet sends
 * each message to one), the status code and the server's words.
 * `deliveryStatus` is the body of the report part, when there is one;
 * `text` the readable part.
 */
export function readBounce(input: { deliveryStatus: string | null; text: string }): Bounce {
  if (input.deliveryStatus !== null) {
    const groups = deliveryStatusFields(input.deliveryStatus);
    // Per-recipient groups: those with an Action or a Status (the per-message group has neither).
    const found = groups
      .filter((g) => g.action || g.status)
      .map((r): Bounce => ({
        severity: severityOf(r.action ?? "", r.status ?? ""),
        status: r.status ?? "",
        recipient: (r["final-recipient"] ?? r["original-recipient"] ?? "").replace(/^rfc822;\s*/i, ""),
        diagnostic: (r["diagnostic-code"] ?? "").replace(/^smtp;\s*/i, "").slice(0, 300),
      }));
    if (found.length) return found.reduce((worst, b) => (RANK[b.severity] > RANK[worst.severity] ? b : worst));
  }
  // No report: soft, unless one line of the text says plainly that the address does not exist.
  for (const line of input.text.slice(0, 64 * 1024).split(/\r?\n/)) {
    const code = BAD_MAILBOX.exec(line) ?? (/\b55[0-3]\b/.test(line) ? NO_SUCH_USER.exec(line) : null);
    if (code) return { severity: "hard", status: /5\.1\.10?/.exec(code[0])?.[0] ?? "5.0.0", recipient: "", diagnostic: line.trim().slice(0, 300) };
  }
  return { severity: "soft", status: "", recipient: "", diagnostic: "" };
}
