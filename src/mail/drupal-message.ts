/**
 * The message as Drupal 7 hands it to the MTA: drupal_mail()'s headers, encoded by DefaultMailSystem::mail()
 * and written by PHP's mail() (To, Subject, then the other headers; LF line ends; the body as its UTF-8 bytes).
 *
 *   To: <to>
 *   Subject: <mime_header_encode(subject)>
 *   MIME-Version: 1.0
 *   Content-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes
 *   Content-Transfer-Encoding: 8Bit
 *   X-Mailer: Gatehouse            (Drupal writes "Drupal")
 *   Sender: <site mail>
 *   From: <display name as drupal_mail_format_display_name() encodes it> <<site mail>>
 *   <other headers, each value through mime_header_encode()>
 *   Message-ID, Date               (what the MTA adds to what PHP gives it)
 *
 * Return-Path is the envelope sender (`-f`), not a header. One difference: a non-ASCII display name longer
 * than one encoded word is folded as RFC 2047 says, where Drupal encodes its own encoded words a second time.
 */

/**
 * mime_header_encode() ([D7] includes/unicode.inc): text with anything outside printable ASCII becomes
 * base64 `=?UTF-8?B?…?=` words of at most 47 bytes each, never splitting a character
 * (drupal_truncate_bytes), joined by "\n " (a folded header line); other text is left as it is.
 */
export function mimeHeaderEncode(text: string): string {
  if (!/[^\x20-\x7e]/.test(text)) return text;
  const bytes = Buffer.from(text, 'utf8');
  const words: string[] = [];
  for (let pos = 0; pos < bytes.length;) {
    let end = Math.min(pos + 47, bytes.length);
    while (end < bytes.length && end > pos && (bytes[end] & 0xc0) === 0x80) end--;
    words.push(`=?UTF-8?B?${bytes.subarray(pos, end).toString('base64')}?=`);
    pos = end;
  }
  return words.join('\n ');
}

/**
 * A From value `Display <address>` with its display name as drupal_mail_format_display_name() leaves it:
 * encoded words when it is not ASCII; ASCII names (quoted when they hold specials) unchanged.
 */
export function encodeFromHeader(from: string): string {
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(from);
  if (!m || !/[^\x20-\x7e]/.test(m[1])) return from;
  const quoted = /^"(.*)"$/.exec(m[1]);
  const name = quoted ? quoted[1].replace(/\\(["\\])/g, '$1') : m[1];
  return `${mimeHeaderEncode(name)} <${m[2]}>`;
}

export interface DrupalMessageParts {
  to: string;
  subject: string;
  from: string;
  /** The Sender header (the site mail), or null when a relay forces its own From. */
  sender: string | null;
  messageId: string;
  date: Date;
  /** Other headers (X-…), in order. */
  headers: Array<[string, string]>;
  /** Plain-text body, already formatted (wrapped) as DefaultMailSystem::format() leaves it. */
  text: string;
}

/** RFC 5322 date in UTC, as an MTA stamps it: `Thu, 03 Dec 2026 09:40:06 +0000`. */
function mailDate(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** The whole message, LF line ends, as a Buffer of its bytes. */
export function composeDrupalMessage(p: DrupalMessageParts): Buffer {
  const oneLine = (v: string) => v.replace(/[\r\n]+/g, ' ');
  const lines = [
    `To: ${oneLine(p.to)}`,
    `Subject: ${mimeHeaderEncode(oneLine(p.subject))}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes',
    'Content-Transfer-Encoding: 8Bit',
    'X-Mailer: Gatehouse',
    ...(p.sender ? [`Sender: ${oneLine(p.sender)}`] : []),
    `From: ${encodeFromHeader(oneLine(p.from))}`,
    ...p.headers.map(([k, v]) => `${k}: ${mimeHeaderEncode(oneLine(v))}`),
    `Message-ID: ${oneLine(p.messageId)}`,
    `Date: ${mailDate(p.date)}`,
  ];
  const body = p.text.replace(/\r?\n/g, '\n');
  return Buffer.from(`${lines.join('\n')}\n\n${body.endsWith('\n') ? body : `${body}\n`}`, 'utf8');
}
