/**
 * Plain-text mail formatting as Drupal 7 does it ([D7] includes/mail.inc drupal_wrap_mail,
 * _drupal_wrap_mail_line, drupal_html_to_text; modules/system/system.mail.inc DefaultMailSystem::format).
 *
 * DefaultMailSystem::format() runs `drupal_wrap_mail(drupal_html_to_text(body))`. For a plain-text body
 * (no tags) drupal_html_to_text() is `drupal_wrap_mail(trim(decode_entities(body))) . "\n"`, so the text is
 * wrapped twice: the first pass inserts format=flowed soft breaks (" \n") at 77 columns, the second pass
 * strips every trailing space before a line break ("make existing breaks hard"), which turns those soft
 * breaks into hard ones. The recorded mails show exactly that (no trailing spaces, trailing "\n").
 *
 * Widths are counted in bytes, as PHP's wordwrap() counts them.
 */

const SOFT_BREAK = ' \n';

/** PHP's wordwrap($text, $width, $break, $cut) for the multi-character-break case, on UTF-8 bytes. */
export function phpWordwrap(text: string, width: number, brk: string, cut: boolean): string {
  const t = Buffer.from(text, 'utf8');
  const b = Buffer.from(brk, 'utf8');
  if (t.length === 0) return '';
  const out: Buffer[] = [];
  let laststart = 0;
  let lastspace = 0;
  let current = 0;
  for (; current < t.length; current++) {
    if (t[current] === b[0] && current + b.length < t.length && t.compare(b, 0, b.length, current, current + b.length) === 0) {
      // An existing break: copy through it.
      out.push(t.subarray(laststart, current + b.length));
      current += b.length - 1;
      laststart = lastspace = current + 1;
    } else if (t[current] === 0x20) {
      if (current - laststart >= width) {
        out.push(t.subarray(laststart, current), b);
        laststart = current + 1;
      }
      lastspace = current;
    } else if (current - laststart >= width && cut && laststart >= lastspace && !isContinuationByte(t[current])) {
      // Forced cut of an over-long word. (PHP may cut inside a UTF-8 sequence; we move to the next
      // character boundary so the result stays valid UTF-8.)
      out.push(t.subarray(laststart, current), b);
      laststart = lastspace = current;
    } else if (current - laststart >= width && laststart < lastspace) {
      out.push(t.subarray(laststart, lastspace), b);
      laststart = lastspace = lastspace + 1;
    }
  }
  if (laststart !== current) out.push(t.subarray(laststart, current));
  return Buffer.concat(out).toString('utf8');
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** _drupal_html_to_text_clean(): every non-'>' indentation character becomes a space. */
function cleanIndent(indent: string): string {
  return indent.replace(/[^>]/g, ' ');
}

function wrapLine(line: string, soft: boolean, indentLength: number): string {
  const brk = soft ? SOFT_BREAK : '\n';
  const wrapped = phpWordwrap(line, 77 - indentLength, brk, false);
  return phpWordwrap(wrapped, 996 - indentLength, brk, true);
}

/** drupal_wrap_mail($text, $indent): RFC 3676 wrapping at 77 columns, space-stuffing, indentation. */
export function drupalWrapMail(input: string, indent = ''): string {
  let text = input.replace(/\r/g, '');
  const clean = cleanIndent(indent);
  const soft = !clean.includes(' ');
  const indentLength = Buffer.byteLength(indent, 'utf8');
  if (text.includes('\n')) {
    // Remove trailing spaces to make existing breaks hard, but leave the signature marker "-- " alone.
    // PCRE: /(?(?<!^--) +\n|  +\n)/m
    text = text.replace(/(?<!^--) +\n|(?<=^--)  +\n/gm, '\n');
    text = text.split('\n').map((line) => wrapLine(line, soft, indentLength)).join('\n');
  } else {
    text = wrapLine(text, soft, indentLength);
  }
  // Empty lines with nothing but spaces.
  text = text.replace(/^ +\n/gm, '\n');
  // Space-stuff special lines.
  text = text.replace(/^(>| |From)/gm, ' $1');
  // Apply indentation; only '>' indentation is repeated after the first line.
  const indented = text.replace(/^/gm, clean);
  return indent + indented.slice(clean.length);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '\u00a9', reg: '\u00ae',
  hellip: '\u2026', mdash: '\u2014', ndash: '\u2013', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d',
};

/** decode_entities(): numeric and common named HTML entities to characters (unknown ones are kept). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ent.toLowerCase()] ?? whole;
  });
}

/** PHP's trim(): only " \t\n\r\0\x0B". */
function phpTrim(s: string): string {
  return s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
}

const BLOCK_END = new Set(['/p', '/dl', '/ul', '/ol', '/h1', '/h2', '/h3', '/h4', '/h5', '/h6', '/blockquote']);

/**
 * drupal_html_to_text(), reduced: text between tags is trimmed, entity-decoded and wrapped, one chunk per
 * line; closing block tags add a blank line; <em>/<i> become "/", <strong>/<b> become "*", and links
 * become "label [n]" with the URLs as footnotes. List indentation, headings and blockquote markers of the
 * full Drupal function are not reproduced (account mail texts are plain text). A body without tags
 * gives exactly Drupal's result.
 */
export function drupalHtmlToText(html: string, baseUrl = ''): string {
  let s = html.replace(/<\/?(em|i)( +[^>]*)?>/gi, '/').replace(/<\/?(strong|b)( +[^>]*)?>/gi, '*');
  const urls: string[] = [];
  s = s.replace(/<a[^>]+?href="([^"]*)"[^>]*?>(.+?)<\/a>/gi, (_m, url: string, label: string) => {
    urls.push(url.includes('://') ? url : baseUrl + (url.startsWith('/') ? url : '/' + url));
    return `${label} [${urls.length}]`;
  });
  const parts = s.split(/<([^>]+?)>/);
  let output = '';
  parts.forEach((value, i) => {
    let chunk: string | null = null;
    if (i % 2 === 1) {
      const tag = value.toLowerCase().split(' ', 1)[0];
      if (BLOCK_END.has(tag)) chunk = '';
    } else {
      const v = phpTrim(decodeEntities(value));
      if (v.length > 0) chunk = v;
    }
    if (chunk !== null) output += drupalWrapMail(chunk) + '\n';
  });
  if (urls.length > 0) output += '\n' + urls.map((u, i) => `[${i + 1}] ${u}\n`).join('');
  return output;
}

/** DefaultMailSystem::format() for one body string: html-to-text, then wrap again. */
export function formatMailBody(body: string, baseUrl = ''): string {
  return drupalWrapMail(drupalHtmlToText(body, baseUrl));
}
