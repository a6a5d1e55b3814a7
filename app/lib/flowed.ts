// Plain text as format=flowed (RFC 3676): lines wrapped at 78 characters with
// soft breaks (a trailing space), which a reader's mail client joins back
// into paragraphs that fit its window; clients that know nothing of flowed
// text see tidy 78-character lines instead of members' paragraphs on one line.

const WIDTH = 78;

/** One line, wrapped at spaces (a word longer than the width, a link say, stays whole). */
function wrap(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > WIDTH) {
    // The last space within the width (the space stays at the end of the piece: the soft break).
    let cut = rest.lastIndexOf(" ", WIDTH - 1);
    if (cut <= 0) {
      cut = rest.indexOf(" ", WIDTH);
      if (cut < 0) break;
    }
    out.push(rest.slice(0, cut + 1));
    rest = rest.slice(cut + 1);
  }
  out.push(rest);
  return out;
}

/** Encode text as format=flowed, DelSp=No. Quoted lines ("> ") keep their marks on every piece. */
export function toFlowed(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .flatMap((raw) => {
      // The signature separator stays exactly "-- ".
      if (raw === "-- ") return [raw];
      const line = raw.replace(/ +$/, ""); // a trailing space would join this line to the next
      const quote = /^(>+ ?)/.exec(line)?.[1] ?? "";
      const body = line.slice(quote.length);
      // Space-stuffing: a line starting with a space or "From " gets one more space in front.
      const stuffed = !quote && (body.startsWith(" ") || body.startsWith("From ")) ? ` ${body}` : body;
      const pieces = wrap(stuffed);
      return pieces.map((piece) => `${quote.trimEnd()}${quote ? " " : ""}${piece}`);
    })
    .join("\n");
}

/** Decode format=flowed text (DelSp=No): soft-broken lines joined, stuffing removed. */
export function fromFlowed(text: string): string {
  const out: string[] = [];
  let pending: string | null = null;
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const quote = /^>+/.exec(raw)?.[0] ?? "";
    let body = raw.slice(quote.length);
    if (body.startsWith(" ")) body = body.slice(1);
    const soft = body.endsWith(" ") && raw !== "-- ";
    const piece: string = pending === null ? `${quote}${quote ? " " : ""}${body}` : pending + body;
    if (soft) pending = piece;
    else {
      out.push(piece);
      pending = null;
    }
  }
  if (pending !== null) out.push(pending);
  return out.join("\n");
}
