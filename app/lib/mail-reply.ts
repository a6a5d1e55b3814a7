// What a member wrote in a reply by email, as Markdown to post: the quoted
// history, attribution lines ("On … wrote:" in fourteen languages), Outlook
// header blocks, signatures and mobile sign-offs go; a bottom post keeps its
// answer; inline answers keep the questions they answer as "> " quotes.
//
// Pure code, line by line, no backtracking regexes: every pattern is tested
// on one line (or two joined) of at most LONGEST_HEADER characters, and the
// input is cut to its first 64 KB (HTML: 512 KB) first. The HTML part is cut
// structurally (Gmail's div.gmail_quote, Outlook's #divRplyFwdMsg, …) and
// then read with the same text rules.
//
// False positives are worse than misses: a rule that could eat a member's
// sentence asks for more evidence (a whole line, a digit or an address, a
// paragraph of its own) before it fires.
import { parseDocument } from "htmlparser2";
import type { ChildNode, Element, ParentNode } from "domhandler";
import { BLOCK_ELEMENTS } from "./html";

/** Text beyond this is quoted history (a reply is at most 20,000 characters). */
export const READ_CHARS = 64 * 1024;
/**
 * HTML beyond this is history too (Word's style block and the answer come
 * first). Kept small because parsing costs grow with the square of the
 * nesting depth: 128 KB of hostile nesting parses in about 50 ms, 512 KB in
 * about 800, all of it holding the server's event loop.
 */
const READ_HTML_CHARS = 128 * 1024;
/** Header patterns are only tried on lines up to this long (an attribution with a long name and address fits). */
const LONGEST_HEADER = 400;

// ── Patterns, one line at a time ────────────────────────────────────────────

/** Attribution lines ("On … wrote:"), whole line, ending in the verb and a colon. */
const ATTRIBUTIONS: RegExp[] = [
  /^(?:>\s*)?on\s.{1,360}\s(?:wrote|writes|said|sent)\s?:$/i, // English, Gmail, Apple, Thunderbird
  /^.{1,360}\s(?:wrote|writes)(?:\son\s.{1,120})?\s?:$/i, // "Rosa <rosa@x> wrote:", "Rosa wrote on …:"
  /^.{0,360}\sschrieb(?:\s.{1,200})?\s?:$/i, // German: "Am … schrieb Rosa <…>:", "Rosa <…> schrieb am …:"
  /^.{1,360}\sa\sécrit\s?:$/i, // French
  /^.{1,360}\sescribió\s?:$/i, // Spanish
  /^.{0,360}\s(?:schreef|geschreven)(?:\s.{1,200})?\s?:$/i, // Dutch: "Op … schreef Rosa <…>:", "… het volgende geschreven:"
  /^.{1,360}\sha\sscritto\s?:$/i, // Italian
  /^.{1,360}\sescreveu\s?:$/i, // Portuguese
  /^.{1,360}\s(?:napisał(?:a|\(a\))?|pisze)\s?:$/i, // Polish: "… napisał(a):", Thunderbird's "W dniu … pisze:"
  /^.{0,360}\sskrev(?:\s.{1,200})?\s?:$/i, // Swedish, Norwegian, Danish: "Den … skrev Rosa <…>:", "Rosa <…> skrev:"
  /^.{1,360}\s(?:написал(?:а|\(а\))?|пишет)\s?:$/i, // Russian: "… написал(а):", Thunderbird's "… пишет:"
  /^.{1,360}(?:写道|寫道)\s?[:：]$/, // Chinese
  /^.{1,360}(?:は|が)?書きました\s?[:：]$/, // Japanese
  /^.{1,360}のメール\s?[:：]$/, // Japanese (Apple Mail)
  /^.{0,360}<[^<>\s]{1,200}@[^<>\s]{1,200}>\s?[:：]$/, // "23.11.2026, 09:00, "Rosa" <rosa@x>:" (Yandex, Mail.ru, Gmail in many languages)
];
/** How an attribution wrapped over two lines begins: a lead word and a date ("On Mon, 23 Nov …", "Am 23.11.2026 …", "man. 23. nov. …"). */
const ATTRIBUTION_START = /^(?:>\s*)?(?:(?:on|am|le|el|op|il|em|den|dne|w dniu|dnia|в|在)\s|\d|\p{L}{2,11}\.?,?\s\d)/iu;

/** Yahoo's "On …, Rosa<rosa@x> wrote:   the message answered…" on one line: the address makes it an attribution. */
const ATTRIBUTION_THEN_HISTORY = /^on\s.{1,200}<[^<>\s@]{1,100}@[^<>\s]{1,100}>\s?wrote:\s/i;

/** Separators that end the reply: what follows is the message answered, forwarded or quoted whole. */
const SEPARATOR_WORDS =
  /original|message|nachricht|origine|mensaje|messaggio|mensagem|bericht|wiadomość|meddelande|melding|besked|сообщение|wrote|schrieb|écrit|escribió|forward|weitergeleitet|transféré|reenviado|encaminhada|inoltrato|doorgestuurd|przekazana|vidarebefordrat|videresendt|пересылаемое|переслан|原始邮件|原始郵件|转发|轉寄|元のメッセージ|転送/i;
const DASHED = /^\s*[-=*_]{2,}\s?(.{1,120}?)\s?[-=*_]{2,}\s*$/;
const FORWARD_INTRO =
  /^(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié|inicio del mensaje reenviado|início da mensagem reencaminhada|messaggio inoltrato|begin doorgestuurd bericht|начало пересылаемого сообщения)\s?:?$/i;
const UNDERSCORES = /^\s*_{10,}\s*$/;

/** Header keys of a quoted message block (Outlook and others), in the languages above. */
const FROM_KEYS = "from|von|de|van|fra|från|frå|od|от|da|差出人|发件人|寄件者|寄件人|lähettäjä";
const OTHER_KEYS =
  "sent|date|to|cc|subject|reply-to|gesendet|datum|an|betreff|envoyé|à|objet|enviado|enviada|fecha|para|asunto|assunto|data|verzonden|aan|onderwerp|sendt|til|emne|dato|skickat|till|ämne|wysłano|wysłane|do|temat|отправлено|дата|кому|тема|копия|inviato|a|oggetto|送信日時|日時|宛先|件名|发送时间|发送日期|时间|日期|收件人|主题|寄件日期|收件者|主旨|lähetetty|vastaanottaja|aihe";
const headerKey = (keys: string) => new RegExp(`^\\s*(?:\\*{1,2})?(?:${keys})(?:\\*{1,2})?\\s?(?:\\*{1,2})?\\s?[:：](?:\\*{1,2})?(?:\\s|$)`, "i");
const FROM_KEY = headerKey(FROM_KEYS);
const ANY_KEY = headerKey(`${FROM_KEYS}|${OTHER_KEYS}`);
const DATE_KEY = headerKey(
  "sent|date|gesendet|datum|envoyé|enviado|enviada|fecha|data|verzonden|sendt|dato|skickat|wysłano|отправлено|дата|inviato|送信日時|发送时间|日期",
);

/** Mobile sign-offs, whole line: "Sent from my iPhone", "Von meinem iPhone gesendet", … */
const SIGN_OFFS: RegExp[] = [
  /^sent from (?:my )?[^,;:!?]{1,40}?\.?(?:\s?<[^>\s]{1,200}>)?$/i,
  /^sent (?:with|via|using) [^,;:!?]{1,40}?\.?$/i,
  /^get (?:outlook|the outlook app) for (?:ios|android)\.?(?:\s?<[^>\s]{1,200}>)?$/i,
  /^(?:envoyé|envoye) (?:de|depuis|à partir de|a partir de) (?:mon |ma |outlook |l'application )?[^,;:!?]{1,40}?\.?(?:\s?<[^>\s]{1,200}>)?$/i,
  /^von meinem [^,;:!?]{1,40} gesendet\.?$/i,
  /^gesendet (?:von|mit) [^,;:!?]{1,40}?\.?$/i,
  /^enviado (?:desde|de|do) (?:mi |meu |o meu |minha )?[^,;:!?]{1,40}?\.?(?:\s?<[^>\s]{1,200}>)?$/i,
  /^(?:inviato|inviata) da(?:l mio| mio|l| il mio)? [^,;:!?]{1,40}?\.?$/i,
  /^(?:verzonden|verstuurd) (?:vanaf|met|van) (?:mijn )?[^,;:!?]{1,40}?\.?$/i,
  /^(?:wysłane|wysłano) z (?:mojego |aplikacji )?[^,;:!?]{1,40}?\.?$/i,
  /^(?:skickat|sendt|skickades) fr(?:å|a)n (?:min |mitt )?[^,;:!?]{1,40}?\.?$/i,
  /^sendt fra (?:min |mitt |mi )?[^,;:!?]{1,40}?\.?$/i,
  /^отправлено (?:с|из) [^,;:!?]{1,40}?\.?$/i,
  /^(?:从我的|從我的|发自我的|發自我的)[^,;:!?，。]{1,30}$/,
  /^[^,;:!?]{1,30}から送信$/,
];

/** Closing words of a sign-off, alone ("Best,") or with the name ("Regards, Rosa"). */
const CLOSINGS =
  "regards|best regards|kind regards|warm regards|warmest regards|best wishes|best|cheers|thanks|thank you|many thanks|thanks again|thx|sincerely|yours|cordially|respectfully|take care|all the best|saludos|un saludo|atentamente|cordialmente|gracias|cordialement|bien cordialement|bien à vous|merci|amitiés|mit freundlichen grüßen|mit freundlichen grüssen|viele grüße|viele grüsse|beste grüße|liebe grüße|lg|mfg|grüße|danke|met vriendelijke groet|vriendelijke groet|groeten|groetjes|distinti saluti|cordiali saluti|saluti|grazie|atenciosamente|abraços|obrigado|obrigada|pozdrawiam|z poważaniem|dziękuję|med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh|tack|med venlig hilsen|venlig hilsen|med vennlig hilsen|vennlig hilsen|hilsen|takk|tak|с уважением|спасибо|всего доброго";
const CLOSING_ALONE = new RegExp(`^(?:${CLOSINGS})(?:\\s(?:so much|again|all))?\\s?[,!.]?$`, "i");
const NAME = "\\p{Lu}[\\p{L}'’.-]{0,30}(?:\\s\\p{Lu}[\\p{L}'’.-]{0,30}){0,2}";
const NAME_LINE = new RegExp(`^${NAME}$`, "u");
/** "Regards, Rosa", "Best, Rosa Martínez": a closing, a comma, a name (case matters for the name). */
function closingWithName(line: string): boolean {
  const comma = line.indexOf(",");
  return comma > 0 && comma <= 30 && CLOSING_ALONE.test(line.slice(0, comma)) && NAME_LINE.test(line.slice(comma + 1).trim());
}
/** "-Rosa", "—Rosa", "-- Rosa" (not "- Fiction", a list item). */
const DASH_NAME = new RegExp(`^(?:-{1,2}|[–—~])${NAME}$|^(?:--|[–—~])\\s${NAME}$`, "u");
/** A line of a signature block below a closing: short, no sentence in it. */
const signatureLine = (line: string) => line.length <= 60 && !/\p{Ll}{2}[.!?:]$/u.test(line);

// ── Lines ───────────────────────────────────────────────────────────────────

const isBlank = (line: string) => line.trim() === "";
const isQuote = (line: string) => /^\s{0,3}>/.test(line);
/** How many ">" a quoted line starts with ("> > x" and ">> x" are both 2). */
function quoteDepth(line: string): number {
  let depth = 0;
  for (const ch of line) {
    if (ch === ">") depth++;
    else if (ch !== " " && ch !== "\t") break;
  }
  return depth;
}
const unquote = (line: string) => line.replace(/^(?:\s{0,3}>)+ ?/, "");
const words = (line: string) => line.trim().replace(/\s+/g, " ");

/** An attribution on this line, or on this line and the next (wrapped): how many lines it takes, or 0. */
function attributionAt(lines: string[], i: number): number {
  const one = words(lines[i]);
  if (isAttribution(one)) return 1;
  const next = lines[i + 1];
  if (next === undefined || isBlank(next) || isQuote(next) || !ATTRIBUTION_START.test(one)) return 0;
  // "Yes, on the 3rd.\nRosa <rosa@x> wrote:" is a sentence and then an attribution, not one attribution.
  const unclosed = one.split("<").length > one.split(">").length;
  if (!unclosed && (/[.!?]$/.test(one) || isAttribution(words(next)))) return 0;
  // A wrapped address ("Rosa <\nrosa@x>:") is joined without the space.
  return isAttribution(`${one}${one.endsWith("<") ? "" : " "}${words(next)}`) ? 2 : 0;
}
function isAttribution(line: string): boolean {
  if (line.length < 6 || line.length > LONGEST_HEADER || !/[:：]$/.test(line)) return false;
  // A date, a time or an address: "On Fridays our aide wrote:" is a sentence, not an attribution.
  if (!/[0-9@]/.test(line)) return false;
  return ATTRIBUTIONS.some((re) => re.test(line));
}

/** Where a block of quoted-message headers ("From:", "Sent:", "To:", "Subject:") starts here: at least two key lines together. */
function headerBlockAt(lines: string[], i: number): boolean {
  const first = lines[i];
  if (first.length > LONGEST_HEADER || !ANY_KEY.test(first)) return false;
  let keys = 1;
  let strong = FROM_KEY.test(first) || DATE_KEY.test(first);
  for (let j = i + 1; j < lines.length && j <= i + 6; j++) {
    const line = lines[j];
    if (isBlank(line)) continue;
    if (line.length > LONGEST_HEADER) break;
    if (ANY_KEY.test(line)) {
      keys++;
      strong ||= FROM_KEY.test(line) || DATE_KEY.test(line);
    } else if (keys === 1 || !/^\s/.test(line)) break; // a wrapped header value is indented; anything else ends the block
  }
  return strong && keys >= 2;
}

/** A separator line that ends the reply ("-----Original Message-----", Outlook's underscores before a header block, …). */
function separatorAt(lines: string[], i: number): boolean {
  const line = lines[i];
  if (line.length > LONGEST_HEADER) return false;
  if (FORWARD_INTRO.test(words(line))) return true;
  const dashed = DASHED.exec(line);
  if (dashed && SEPARATOR_WORDS.test(dashed[1])) return true;
  if (UNDERSCORES.test(line) || /^\s*-{5,}\s*$/.test(line)) {
    let j = i + 1;
    while (j < lines.length && j < i + 3 && isBlank(lines[j])) j++;
    return j < lines.length && headerBlockAt(lines, j);
  }
  return false;
}

/** What a sign-off names: a device or a mail app ("Sent from my desk" is a sentence). */
const DEVICES =
  /iphone|ipad|ipod|android|galaxy|samsung|pixel|huawei|xiaomi|oneplus|motorola|moto\s|nokia|sony|xperia|blackberry|htc|\blg\b|fairphone|kindle|surface|apple watch|mobile|phone|smartphone|tablet|handy|móvil|movil|portable|téléphone|telefon|celular|telemóvel|cellulare|telefoon|mobil|телефон|айфон|手机|手機|outlook|mail for windows|windows mail|yahoo|aol|gmail|typeapp|bluemail|spark|proton|samsung email|yandex|mail\.ru|почт|https?:\/\//i;
function isSignOff(line: string): boolean {
  // "Sent from [Mail](https://…) for Windows", "Get Outlook for iOS<https://aka.ms/…>": the link's label counts.
  const w = words(line.replace(/\[([^\]]{1,60})\]\([^)\s]{1,300}\)/g, "$1").replace(/\s?\[https?:[^\]\s]{1,300}\]/g, ""));
  return w.length <= 120 && DEVICES.test(w) && SIGN_OFFS.some((re) => re.test(w));
}

// ── Text ────────────────────────────────────────────────────────────────────

type Block = { kind: "text" | "quote"; lines: string[] };

/** What the member wrote, from the plain-text part; `cut` says whether anything was recognized as quoted or signed. */
export function replyFromText(input: string): { markdown: string; cut: boolean } {
  const text = bounded(input.replace(/\r\n?/g, "\n").replace(/\u00a0/g, " "), READ_CHARS);
  const lines = text.split("\n").map((l) => l.replace(/\s+$/, ""));
  let cut = false;

  // 1. The end of the reply: a header block or separator (history below it is
  // not quoted with ">"), a signature, or an attribution followed by unquoted history.
  let end = lines.length;
  const attributions = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isBlank(line) || isQuote(line)) continue;
    if (
      /^-- ?$/.test(line) ||
      separatorAt(lines, i) ||
      headerBlockAt(lines, i) ||
      (line.length <= LONGEST_HEADER && ATTRIBUTION_THEN_HISTORY.test(words(line)))
    ) {
      end = i;
      break;
    }
    const span = attributionAt(lines, i);
    if (span) {
      let j = i + span;
      while (j < lines.length && isBlank(lines[j])) j++;
      if (j < lines.length && !isQuote(lines[j]) && !startsQuotedHistory(lines, j)) {
        // "On … wrote:" and then the message itself, unquoted (a forward, a client that does not quote).
        end = i;
        break;
      }
      for (let k = 0; k < span; k++) attributions.add(i + k);
      i += span - 1;
    }
  }
  if (end < lines.length) cut = true;

  // 2. Blocks of text and of quotes (blank lines inside a quote stay in it).
  const blocks: Block[] = [];
  for (let i = 0; i < end; i++) {
    if (attributions.has(i)) {
      cut = true;
      continue;
    }
    const line = lines[i];
    const kind = isQuote(line) ? "quote" : isBlank(line) ? null : "text";
    const last = blocks.at(-1);
    if (kind === null) {
      if (last) last.lines.push("");
    } else if (last?.kind === kind) last.lines.push(line);
    else blocks.push({ kind, lines: [line] });
  }

  // 3. Mobile sign-offs that end a text block, and closings at the very end.
  for (const block of blocks) {
    if (block.kind !== "text") continue;
    trimBlank(block.lines);
    const last = block.lines.length - 1;
    if (last >= 0 && isSignOff(block.lines[last])) {
      block.lines.pop();
      cut = true;
      trimBlank(block.lines);
    }
  }
  let kept = blocks.filter((b) => b.lines.some((l) => !isBlank(l)));
  // Quoted history below the last thing the member wrote goes.
  while (kept.at(-1)?.kind === "quote") {
    kept.pop();
    cut = true;
  }
  const lastText = kept.at(-1);
  if (lastText && stripClosing(lastText.lines, kept.length > 1)) cut = true;
  kept = kept.filter((b) => b.lines.some((l) => !isBlank(l)));
  while (kept.at(-1)?.kind === "quote") kept.pop();

  // 4. One quote answered below it is a bottom post: the answer alone. Several
  // are inline answers: each question stays, as a Markdown quote.
  const quotes = kept.filter((b) => b.kind === "quote").length;
  if (quotes === 1) {
    kept = kept.filter((b) => b.kind === "text");
    cut = true;
  }
  const markdown = kept
    .map((b) => (b.kind === "text" ? trimBlank(b.lines).join("\n") : asQuote(b.lines)))
    .filter((s) => s !== "")
    .join("\n\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { markdown, cut };
}

/** After an attribution, history may start with a nested attribution or header block before its first ">" line (rare): still history. */
function startsQuotedHistory(lines: string[], j: number): boolean {
  return attributionAt(lines, j) > 0 && lines.slice(j + 1, j + 4).some(isQuote);
}

/** Cuts a closing at the end of a reply ("Best,\nRosa", "Regards, Rosa", "-Rosa"); never the whole reply. */
function stripClosing(lines: string[], moreAbove: boolean): boolean {
  trimBlank(lines);
  const n = lines.length;
  const hasWordsBefore = (i: number) => moreAbove || lines.slice(0, i).some((l) => !isBlank(l));
  const last = words(lines[n - 1] ?? "");
  const listItem = n > 1 && /^\s*[-*]\s/.test(lines[n - 2]);
  if (((DASH_NAME.test(last) && !listItem) || closingWithName(last)) && hasWordsBefore(n - 1)) {
    lines.splice(n - 1);
    trimBlank(lines);
    return true;
  }
  // "Best,\nRosa Martínez\nLincoln Elementary": a closing line, then up to four short signature lines, the first a name.
  for (let i = n - 2; i >= 0 && i >= n - 5; i--) {
    const line = words(lines[i]);
    if (isBlank(line)) return false;
    if (CLOSING_ALONE.test(line) && NAME_LINE.test(words(lines[i + 1])) && lines.slice(i + 1).every((l) => signatureLine(words(l)))) {
      if (!hasWordsBefore(i)) return false;
      lines.splice(i);
      trimBlank(lines);
      return true;
    }
  }
  return false;
}

/** A kept question, as a Markdown quote: its first level only (older history inside it goes). */
function asQuote(lines: string[]): string {
  const out = lines
    .filter((l) => isBlank(l) || quoteDepth(l) === 1)
    .map((l) => (isBlank(unquote(l)) ? ">" : `> ${unquote(l)}`))
    // An attribution quoted inside the question ("> On … wrote:") is not part of it.
    .filter((l) => !isAttribution(words(l.slice(1))));
  const inner = out.filter((l, i) => !(l === ">" && (i === 0 || out[i - 1] === ">")));
  while (inner.at(-1) === ">") inner.pop();
  return inner.join("\n");
}

function trimBlank(lines: string[]): string[] {
  while (lines.length && isBlank(lines[0])) lines.shift();
  while (lines.length && isBlank(lines[lines.length - 1])) lines.pop();
  return lines;
}

function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const newline = text.lastIndexOf("\n", max);
  return text.slice(0, newline > 0 ? newline + 1 : max);
}

// ── HTML ────────────────────────────────────────────────────────────────────

const isElement = (n: ChildNode): n is Element => n.type === "tag" || n.type === "script" || n.type === "style";
const classes = (e: Element) => ` ${e.attribs.class ?? ""} `;
const hasClass = (e: Element, name: string) => classes(e).includes(` ${name} `);
/** Yahoo prefixes its class names and ids per message ("ydp5d6e7f8yahoo_quoted"). */
const isYahooQuote = (e: Element) => (e.attribs.class ?? "").includes("yahoo_quoted") || (e.attribs.id ?? "").includes("yahoo_quoted");

/** The quoted history's container, by client: the member may have answered inside it (between its blockquotes) or below it. */
function isQuoteContainer(e: Element): boolean {
  return (
    hasClass(e, "gmail_quote") || // Gmail
    hasClass(e, "moz-cite-prefix") || // Thunderbird
    isYahooQuote(e) || // Yahoo
    (e.name === "blockquote" && (e.attribs.type ?? "").toLowerCase() === "cite") || // Apple Mail, iOS, Thunderbird
    isHistoryHeader(e)
  );
}
/** Outlook's header block of the message answered ("From:/Sent:/To:/Subject:"): the history follows it, unquoted; everything from it on goes. */
function isHistoryHeader(e: Element): boolean {
  const id = e.attribs.id ?? "";
  const style = (e.attribs.style ?? "").toLowerCase().replace(/\s+/g, "");
  return (
    id === "divRplyFwdMsg" || // Outlook.com, Outlook desktop, Hotmail, Windows Mail
    id === "appendonsend" || // Outlook.com
    id === "mail-editor-reference-message-container" || // the new Outlook
    hasClass(e, "OutlookMessageHeader") ||
    (e.name === "div" && /border-top:solid#(?:e1e1e1|b5c4df)/.test(style)) // Outlook desktop, Windows Mail
  );
}
/** Elements that introduce or sign, not answer: removed before asking "did the member write below?". */
const isAttributionElement = (e: Element) =>
  hasClass(e, "gmail_attr") || hasClass(e, "moz-cite-prefix") || hasClass(e, "gmail_signature") || hasClass(e, "moz-signature") || e.attribs.id === "Signature";

/** What the member wrote, from the HTML part: the quoted history cut out by structure, the rest as Markdown. */
export function replyFromHtml(input: string): { markdown: string; cut: boolean } {
  const doc = parseDocument(bounded(input, READ_HTML_CHARS), { decodeEntities: true });
  let cut = false;
  // Signatures the client marked as such.
  for (const e of allElements(doc)) if (hasClass(e, "gmail_signature") || hasClass(e, "moz-signature") || e.attribs.id === "Signature") cut = remove(e) || cut;
  const container = allElements(doc).find(isQuoteContainer);
  if (container) {
    cut = true;
    if (isHistoryHeader(container) || !answeredInsideOrBelow(container)) removeFrom(container);
    else for (const e of allElements(container)) if (isAttributionElement(e)) remove(e);
  }
  const text = renderBlocks(doc.children).replace(/\n{3,}/g, "\n\n");
  const fromText = replyFromText(text);
  return { markdown: fromText.markdown, cut: cut || fromText.cut };
}

function allElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  const stack: ChildNode[] = [...root.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

function remove(n: ChildNode): boolean {
  const parent = n.parent;
  if (!parent) return false;
  parent.children.splice(parent.children.indexOf(n), 1);
  n.parent = null;
  return true;
}

/** Removes a node and everything after it in document order. */
function removeFrom(n: ChildNode) {
  let node: ChildNode | null = n;
  while (node?.parent) {
    const parent: ParentNode = node.parent;
    const at = parent.children.indexOf(node);
    const gone = parent.children.splice(node === n ? at : at + 1);
    for (const g of gone) g.parent = null;
    if (parent.type === "root") break;
    node = parent as Element;
  }
}

/** Did the member write inside the quote container (between its blockquotes) or below it? */
function answeredInsideOrBelow(container: Element): boolean {
  const hasWords = (n: ChildNode): boolean => {
    if (n.type === "text") return n.data.trim() !== "";
    if (!isElement(n) || n.name === "blockquote" || n.name === "style" || n.name === "script" || isAttributionElement(n)) return false;
    return n.children.some(hasWords);
  };
  // Inside: text outside the blockquotes (Gmail splits its quote around inline answers).
  if (container.name !== "blockquote" && container.children.some(hasWords) && container.children.some((c) => isElement(c) && c.name === "blockquote"))
    return true;
  // Below: anything after the container, in document order.
  let node: ChildNode | null = container;
  while (node?.parent) {
    const siblings: ChildNode[] = node.parent.children;
    for (const s of siblings.slice(siblings.indexOf(node) + 1))
      if (hasWords(s) && !(isElement(s) && isQuoteContainer(s) && !answeredInsideOrBelow(s))) return true;
    if (node.parent.type === "root") break;
    node = node.parent as Element;
  }
  return false;
}

const SKIP = new Set(["head", "style", "script", "title", "meta", "img", "o:p", "xml"]);

/** HTML as Markdown-ish text: paragraphs, line breaks, lists, links, and blockquotes as "> " lines. */
function renderBlocks(nodes: ChildNode[]): string {
  return render(nodes, 0)
    .split("\n")
    .map((l) => l.replace(/^ +| +$/g, ""))
    .join("\n");
}
function render(nodes: ChildNode[], depth: number): string {
  let out = "";
  const newline = (n: number) => {
    const have = /\n*$/.exec(out)![0].length;
    if (out !== "" && have < n) out += "\n".repeat(n - have);
  };
  for (const n of nodes) {
    if (depth > 60) break;
    if (n.type === "text") {
      out += n.data.replace(/[\t\n\r ]+/g, " ");
      continue;
    }
    if (!isElement(n) || SKIP.has(n.name)) continue;
    const name = n.name;
    if (name === "br") {
      out += "\n";
    } else if (name === "blockquote") {
      newline(2);
      const inner = render(n.children, depth + 1).trim();
      out += inner
        .split("\n")
        .map((l) => (l.trim() === "" ? ">" : `> ${l.trim()}`))
        .join("\n");
      newline(2);
    } else if (name === "a") {
      const label = render(n.children, depth + 1).trim();
      const href = n.attribs.href ?? "";
      out += /^https?:/i.test(href) && label && href !== label && href.replace(/^mailto:/, "") !== label ? `[${label}](${href})` : label;
    } else if (name === "li") {
      newline(1);
      out += `- ${render(n.children, depth + 1).trim()}`;
      newline(1);
    } else if (name === "hr") {
      newline(2);
      out += "-----";
      newline(2);
    } else if (BLOCK_ELEMENTS.has(name)) {
      newline(name === "p" || name === "div" || name.startsWith("h") ? 1 : 1);
      out += render(n.children, depth + 1);
      newline(name === "p" || name.startsWith("h") ? 2 : 1);
    } else if (name === "td" || name === "th") {
      out += `${render(n.children, depth + 1)} `;
    } else {
      out += render(n.children, depth + 1);
    }
  }
  return out;
}

// ── Both parts ──────────────────────────────────────────────────────────────

/** Does the HTML part carry a client's structural quote marker? (Cheap: a substring test.) */
const HTML_MARKERS =
  /gmail_quote|divRplyFwdMsg|appendonsend|moz-cite-prefix|yahoo_quoted|type=["']?cite|border-top:\s*solid\s*#(?:E1E1E1|B5C4DF)|mail-editor-reference-message-container|OutlookMessageHeader/i;

/**
 * The Markdown to post from a reply by email: only what the member wrote.
 *
 * The plain-text part is read, unless it is empty or looks like HTML, or the
 * HTML part carries a client's structural quote marker (Gmail's gmail_quote,
 * Outlook's divRplyFwdMsg, Apple's blockquote type=cite, …): then the HTML
 * part is read, cut at the marker (language-independent), unless that leaves
 * nothing. Why not the text part then: mailparser hands HTML-only mail's own
 * conversion (wrapped at 80 columns, so attributions break over three lines
 * and "> wrote:" looks quoted) as `text`, indistinguishable from a real text
 * part, and the clients that mark their quotes write their text part from
 * the same HTML.
 */
export function replyText({ text, html }: { text: string; html?: string }): string {
  const hasText = text.trim() !== "" && !/^\s*<(?:!doctype|html|div|p|body)\b/i.test(text);
  if (html?.trim() && (!hasText || HTML_MARKERS.test(html.slice(0, READ_HTML_CHARS)))) {
    const fromHtml = replyFromHtml(html).markdown;
    if (fromHtml || !hasText) return fromHtml;
  }
  return hasText ? replyFromText(text).markdown : "";
}
