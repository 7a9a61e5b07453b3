import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTypeHeader, negotiateFormat } from '../../../src/protocols/services3/formats/index.js';
import { FORMAT_STEPS, header } from './recorded.js';

const ALL = ['xml', 'json', 'jsonp', 'php', 'bencode'];
const STOCK = ['xml', 'json', 'php', 'bencode'];
const negotiate = (accept: string | undefined, suffix: string | null = null, enabled = ALL, defaultFormat = 'json') =>
  negotiateFormat({ suffix, accept, enabled, defaultFormat });

test('every recorded Accept/suffix case of formats.json', () => {
  let checked = 0;
  for (const s of FORMAT_STEPS) {
    if (!s.request || !s.response || s.response.status === 404) continue; // 404s end before negotiation
    const [, endpoint, canonical] = /^\/(rest|restdefault)\/([^?]*)/.exec(s.request.path)!;
    const suffix = /^.+\.([^./^]+)$/.exec(canonical)?.[1] ?? null;
    const got = negotiate(header(s.request.headers, 'accept'), suffix, endpoint === 'rest' ? ALL : STOCK);
    const vary = header(s.response.headers, 'vary') === 'Accept';
    const formatFailed = s.response.status === 406 && s.response.body === '';
    const label = `step ${s.step}: ${s.title}`;
    if (formatFailed) {
      assert.deepEqual(got, { ok: false, vary }, label);
    } else {
      assert.ok(got.ok, label);
      assert.equal(contentTypeHeader(got.mime), header(s.response.headers, 'content-type'), label);
      assert.equal(got.vary, vary, label);
    }
    checked++;
  }
  assert.equal(checked, 59);
});

test('Accept ranking quirks of mimeparse', () => {
  const mime = (accept: string, enabled = ALL) => {
    const n = negotiate(accept, null, enabled);
    return n.ok ? `${n.format} ${n.mime}` : n;
  };
  assert.equal(mime('*/*'), 'xml text/xml');
  assert.equal(mime('*'), 'xml text/xml');
  assert.equal(mime('*/*', ['json', 'php']), 'php application/vnd.php.serialized');
  assert.equal(mime('application/json;q=0.1, */*'), 'json application/json');
  assert.equal(mime('application/json;q=0.5, application/xml;q=0.9'), 'xml application/xml');
  assert.equal(mime('application/json;q=0, application/xml;q=0.9'), 'json application/json');
  assert.equal(mime('application/json;q=2, application/xml;q=0.9'), 'json application/json');
  assert.equal(mime('application/json; q=0.3, application/xml;q=0.4'), 'xml application/xml');
  assert.equal(mime('text/*'), 'xml text/xml');
  assert.equal(mime('application/*'), 'xml application/xml');
  assert.equal(mime(' application/json '), 'json application/json');
  assert.equal(mime('text/javascript'), 'jsonp text/javascript');
  assert.deepEqual(mime('Application/JSON'), { ok: false, vary: true });
  assert.deepEqual(mime('text/javascript', STOCK), { ok: false, vary: true });
});

test('malformed Accept items (500 on the real site)', () => {
  for (const accept of ['json', 'application/json,', 'text/', 'a/0', ',']) {
    assert.deepEqual(negotiate(accept), { ok: false, vary: true, malformed: true }, accept);
  }
});

test('empty Accept and suffixes', () => {
  assert.deepEqual(negotiate(undefined), { ok: true, format: 'json', mime: 'application/json', vary: true });
  assert.deepEqual(negotiate(''), { ok: true, format: 'json', mime: 'application/json', vary: true });
  assert.deepEqual(negotiate('0'), { ok: true, format: 'json', mime: 'application/json', vary: true });
  assert.deepEqual(negotiate(undefined, null, ALL, 'xml'), { ok: true, format: 'xml', mime: 'application/xml', vary: true });
  assert.deepEqual(negotiate(undefined, null, ['xml'], 'json'), { ok: false, vary: true });
  assert.deepEqual(negotiate('text/xml', 'json'), { ok: true, format: 'json', mime: 'application/json', vary: false });
  assert.deepEqual(negotiate(undefined, 'jsonp'), { ok: true, format: 'jsonp', mime: 'text/javascript', vary: false });
  assert.deepEqual(negotiate(undefined, 'jsonp', STOCK), { ok: false, vary: false });
  assert.deepEqual(negotiate(undefined, 'yaml'), { ok: false, vary: false });
  assert.deepEqual(negotiate(undefined, 'constructor'), { ok: false, vary: false });
  assert.deepEqual(negotiate(undefined, '0'), { ok: true, format: 'json', mime: 'application/json', vary: true });
  assert.deepEqual(negotiate('json', 'xml'), { ok: true, format: 'xml', mime: 'application/xml', vary: false });
});

test('content type header', () => {
  assert.equal(contentTypeHeader('text/xml'), 'text/xml;charset=UTF-8');
  assert.equal(contentTypeHeader('text/javascript'), 'text/javascript;charset=UTF-8');
  assert.equal(contentTypeHeader('application/json'), 'application/json');
  assert.equal(contentTypeHeader('application/x-bencode'), 'application/x-bencode');
});
