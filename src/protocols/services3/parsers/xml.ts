/**
 * `application/xml` and `text/xml` bodies: ServicesParserXML (simplexml_load_string + unmarshalXML).
 * - The root element's name is ignored; its child elements become keys (a later duplicate overwrites).
 * - A leaf (no child elements) gives its text (text and CDATA, comments skipped, whitespace kept).
 * - An element with child elements and an `is_array` attribute (any value, as SimpleXML tests presence) gives a
 *   list of its children: leaves as strings, others unmarshalled.
 * - A leaf with an `is_raw` attribute makes its whole level return that string (so at the top `["…"]`).
 * - Prefixed elements in a declared namespace are invisible, as for SimpleXML's children().
 * Well-formedness is checked by a scan here plus fast-xml-parser's validator; failures are
 * `406 Line L, Col C: <message>\n\n` (message text after libxml's where it is cheap to match).
 * DOCTYPE is refused outright (no DTD or entity processing); only the five predefined entities and character
 * references are decoded; nesting is capped at 256 like libxml without XML_PARSE_HUGE.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { domainError, escapeHtml } from '../../../core/errors.js';
import { LimitCounter, type ParserLimits } from './limits.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', allowBooleanAttributes: false,
  processEntities: false, htmlEntities: false, parseTagValue: false, parseAttributeValue: false,
  trimValues: false, ignoreDeclaration: true, ignorePiTags: true, cdataPropName: '#cdata',
  commentPropName: '#comment', removeNSPrefix: false, maxNestedTags: 300,
  // Names are data (`constructor`, `__proto__` are ordinary element names to PHP): every element and attribute
  // name is kept behind a prefix no XML name can start with, so the library never sees a JavaScript one.
  transformTagName: (name: string) => NAME_PREFIX + name,
  transformAttributeName: (name: string) => NAME_PREFIX + name,
});
const NAME_PREFIX = '$';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `limits` (config `parserLimits`) are checked by the scan, before the validator and the parser run. */
export function parseXml(body: Buffer, limits?: ParserLimits): unknown {
  if (limits && body.length > limits.maxXmlBytes) throw domainError('payload_too_large');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw xmlError(1, 1, 'Input is not proper UTF-8, indicate encoding !');
  }
  text = text.replace(/\r\n?/g, '\n');
  try {
    checkXmlText(text, limits ? new LimitCounter(limits) : null);
  } catch (e) {
    if (e instanceof XmlScanError) throw xmlError(e.line, e.col, e.message);
    throw e;
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) throw xmlError(valid.err.line, valid.err.col ?? lineCol(text, text.length).col, valid.err.msg);
  let nodes: Node[];
  try {
    nodes = parser.parse(text) as Node[];
  } catch (e) {
    const at = lineCol(text, text.length);
    throw xmlError(at.line, at.col, e instanceof Error ? e.message : 'XML parse error');
  }
  const root = nodes.find((n) => elementName(n) !== null);
  if (!root) throw xmlError(1, 1, "Start tag expected, '<' not found");
  const result = unmarshal(root, undefined, namespaces(new Set(), root));
  if (result === undefined) return {};
  if (typeof result === 'string') return [result];
  return result;
}

function xmlError(line: number, col: number, message: string) {
  return domainError('invalid_xml', { message: `Line ${line}, Col ${col}: ${escapeHtml(message)}\n\n` });
}

/** The key holding an element node's children, null for text, CDATA and comment nodes. */
function elementKey(n: Node): string | null {
  const key = Object.keys(n).find((k) => k !== ':@');
  return key === undefined || !key.startsWith(NAME_PREFIX) ? null : key;
}

/** The tag name of an element node, null for text, CDATA and comment nodes. (fast-xml-parser 5 applies
 * transformTagName twice to an empty-element tag: every leading `$`, which no XML name has, goes.) */
function elementName(n: Node): string | null {
  return elementKey(n)?.replace(/^\$+/, '') ?? null;
}

/** Attribute names (without the prefix) present on an element. */
function attrNames(n: Node): string[] {
  return Object.keys((n[':@'] as Record<string, unknown> | undefined) ?? {}).map((k) => k.slice(NAME_PREFIX.length));
}

function childNodes(n: Node): Node[] {
  const key = elementKey(n);
  return key === null ? [] : (n[key] as Node[]);
}

/** Prefixes declared on `n` (xmlns:p) added to those in scope. */
function namespaces(inScope: ReadonlySet<string>, n: Node): ReadonlySet<string> {
  const declared = attrNames(n).filter((a) => a.startsWith('xmlns:')).map((a) => a.slice(6));
  return declared.length === 0 ? inScope : new Set([...inScope, ...declared]);
}

/** SimpleXML children(): element children without a declared namespace prefix. */
function elementChildren(n: Node, ns: ReadonlySet<string>): Array<{ node: Node; name: string; ns: ReadonlySet<string> }> {
  const out: Array<{ node: Node; name: string; ns: ReadonlySet<string> }> = [];
  for (const child of childNodes(n)) {
    const name = elementName(child);
    if (name === null) continue;
    const childNs = namespaces(ns, child);
    const colon = name.indexOf(':');
    if (colon > 0 && childNs.has(name.slice(0, colon))) continue;
    out.push({ node: child, name, ns: childNs });
  }
  return out;
}

/** (string) $element: the direct text and CDATA content, entities decoded. */
function textOf(n: Node): string {
  let out = '';
  for (const child of childNodes(n)) {
    if (typeof child['#text'] === 'string') out += decodeXmlText(child['#text']);
    else if (Array.isArray(child['#cdata'])) out += (child['#cdata'] as Node[]).map((c) => String(c['#text'] ?? '')).join('');
  }
  return out;
}

type Unmarshalled = Record<string, unknown> | string | undefined;

/** ServicesParserXML::unmarshalXML($node, $array). */
function unmarshal(node: Node, initial: Unmarshalled, ns: ReadonlySet<string>): Unmarshalled {
  let array: Record<string, unknown> | undefined = typeof initial === 'object' ? { ...initial } : undefined;
  const set = (key: string, value: unknown) => {
    array ??= {};
    if (key === '__proto__') Object.defineProperty(array, key, { value, enumerable: true, writable: true, configurable: true });
    else array[key] = value;
  };
  for (const child of elementChildren(node, ns)) {
    const grandChildren = elementChildren(child.node, child.ns);
    if (grandChildren.length === 0) {
      if (attrNames(child.node).includes('is_raw')) return textOf(child.node);
      set(child.name, textOf(child.node));
      continue;
    }
    if (attrNames(child.node).includes('is_array')) {
      const list: unknown[] = [];
      for (const item of grandChildren) {
        if (elementChildren(item.node, item.ns).length === 0) list.push(textOf(item.node));
        else list.push(unmarshal(item.node, asInitial(array?.[item.name]), item.ns) ?? null);
      }
      set(child.name, list);
    } else {
      set(child.name, unmarshal(child.node, {}, child.ns));
    }
  }
  return array;
}

function asInitial(v: unknown): Unmarshalled {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

// ---------------------------------------------------------------- well-formedness scan

const MAX_DEPTH = 256;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const INVALID_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFERENCE = /&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_:][A-Za-z0-9._:-]*)?(;)?/g;

class XmlScanError extends Error {
  constructor(readonly line: number, readonly col: number, message: string) { super(message); }
}

function lineCol(text: string, index: number): { line: number; col: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, col: index - before.lastIndexOf('\n') };
}

/**
 * What libxml would refuse and the validator lets through: invalid characters, DOCTYPE, unknown or malformed
 * references, text or a second element outside the root, and nesting deeper than 256.
 */
function checkXmlText(text: string, counter: LimitCounter | null): void {
  const fail = (index: number, message: string): never => {
    const at = lineCol(text, index);
    throw new XmlScanError(at.line, at.col, message);
  };
  const bad = INVALID_CHAR.exec(text);
  if (bad) fail(bad.index, `PCDATA invalid Char value ${bad[0].codePointAt(0)}`);
  if (text === '') fail(0, 'Document is empty');
  let depth = 0;
  let roots = 0;
  let pos = 0;
  const skipTo = (end: string, message: string) => {
    const at = text.indexOf(end, pos);
    if (at < 0) fail(pos, message);
    pos = at + end.length;
  };
  while (pos < text.length) {
    if (text.startsWith('<!--', pos)) skipTo('-->', 'Comment not terminated');
    else if (text.startsWith('<![CDATA[', pos)) {
      if (depth === 0) fail(pos, roots === 0 ? "Start tag expected, '<' not found" : 'Extra content at the end of the document');
      skipTo(']]>', 'CData section not finished');
    } else if (text.startsWith('<?', pos)) skipTo('?>', 'ParsePI: PI not terminated');
    else if (text.startsWith('<!', pos)) fail(pos, 'DOCTYPE is not allowed');
    else if (text.startsWith('</', pos)) {
      depth--;
      skipTo('>', "expected '>'");
    } else if (text[pos] === '<') {
      const end = tagEnd(text, pos);
      if (end < 0) fail(pos, "Couldn't find end of Start Tag");
      const tag = text.slice(pos, end);
      checkReferences(tag, pos, fail);
      if (depth === 0 && ++roots > 1) fail(pos, 'Extra content at the end of the document');
      if (counter) {
        counter.item();
        counter.attribute(attributeCount(tag));
        counter.depth(depth + 1);
      }
      if (text[end - 1] !== '/' && ++depth > MAX_DEPTH) fail(pos, `Excessive depth in document: ${MAX_DEPTH} use XML_PARSE_HUGE option`);
      pos = end + 1;
    } else {
      const next = text.indexOf('<', pos);
      const end = next < 0 ? text.length : next;
      const chunk = text.slice(pos, end);
      if (depth === 0 && chunk.trim() !== '') {
        fail(pos, roots === 0 ? "Start tag expected, '<' not found" : 'Extra content at the end of the document');
      }
      checkReferences(chunk, pos, fail);
      pos = end;
    }
  }
  if (roots === 0) fail(text.length, "Start tag expected, '<' not found");
}

/** `=` signs outside quoted values of a start tag: its attributes (an upper bound for malformed ones). */
function attributeCount(tag: string): number {
  let n = 0;
  let quote = '';
  for (let i = 0; i < tag.length; i++) {
    const c = tag[i];
    if (quote) { if (c === quote) quote = ''; } else if (c === '"' || c === "'") quote = c;
    else if (c === '=') n++;
  }
  return n;
}

/** Index of the `>` closing the start tag at `start`, skipping quoted attribute values; -1 when missing. */
function tagEnd(text: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

function checkReferences(chunk: string, offset: number, fail: (index: number, message: string) => never): void {
  for (const m of chunk.matchAll(REFERENCE)) {
    const at = offset + (m.index ?? 0);
    const [, name, semi] = m;
    if (name === undefined) fail(at, 'xmlParseEntityRef: no name');
    if (semi === undefined) fail(at, 'EntityRef: expecting \';\'');
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!isXmlChar(code)) fail(at, `xmlParseCharRef: invalid xmlChar value ${Number.isFinite(code) ? code : 0}`);
    } else if (PREDEFINED[name] === undefined) fail(at, `Entity '${name}' not defined`);
  }
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff)
    || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Decodes the predefined entities and character references of checked text. */
function decodeXmlText(s: string): string {
  return s.replace(REFERENCE, (all, name: string | undefined) => {
    if (name === undefined) return all;
    if (name.startsWith('#')) return String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return PREDEFINED[name] ?? all;
  });
}
