// Wrapping, tokens and texts, unit by unit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Account } from '../../src/core/model.js';
import { SiteSettings } from '../../src/core/settings/site-settings.js';
import { createAccountMailer, formatFromHeader } from '../../src/mail/account-mailer.js';
import { ACCOUNT_MAIL_KINDS, defaultMailText, mailText } from '../../src/mail/templates.js';
import { phpDate, replaceTokens, type TokenData } from '../../src/mail/tokens.js';
import { decodeEntities, drupalHtmlToText, drupalWrapMail, formatMailBody, phpWordwrap } from '../../src/mail/wrap.js';

test('phpWordwrap matches PHP wordwrap()', () => {
  // Values from PHP 8: wordwrap($s, $w, $b, $cut)
  assert.equal(phpWordwrap('The quick brown fox', 10, '\n', false), 'The quick\nbrown fox');
  assert.equal(phpWordwrap('A very long woooooooooooord.', 8, '\n', true), 'A very\nlong\nwooooooo\nooooord.');
  assert.equal(phpWordwrap('A very long woooooooooooooooooord. and something', 8, '\n', false), 'A very\nlong\nwoooooooooooooooooord.\nand\nsomething');
  assert.equal(phpWordwrap('short', 77, ' \n', false), 'short');
  assert.equal(phpWordwrap('', 77, ' \n', false), '');
  assert.equal(phpWordwrap('aaaa bbbb', 4, ' \n', false), 'aaaa \nbbbb');
  // Multibyte: widths are bytes ("é" is 2 bytes).
  assert.equal(phpWordwrap('éé éé', 4, '\n', false), 'éé\néé');
});

test('drupalWrapMail wraps at 77 with soft breaks, keeps "-- ", space-stuffs', () => {
  const long = 'word '.repeat(30).trim();
  const once = drupalWrapMail(long);
  assert.ok(once.split('\n').every((l) => l.length <= 78));
  assert.ok(once.includes(' \n'), 'soft breaks on the first pass');
  assert.equal(drupalWrapMail('a  \n-- \nb'), 'a\n-- \nb');
  assert.equal(drupalWrapMail('x\nFrom here\n> quoted'), 'x\n From here\n > quoted');
  assert.equal(drupalWrapMail('x\n   \ny'), 'x\n\ny');
  assert.equal(drupalWrapMail('text', '> '), '> text');
});

test('formatMailBody = DefaultMailSystem::format for plain text: hard breaks, trimmed, trailing newline', () => {
  const body = formatMailBody('  Hello,\r\n\r\n' + 'lorem ipsum '.repeat(10) + '\n\n--  Team  ');
  assert.equal(body, 'Hello,\n\nlorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem ipsum lorem\nipsum lorem ipsum lorem ipsum lorem ipsum\n\n--  Team\n');
  // Over-long words are cut at 996 bytes.
  const word = 'x'.repeat(1200);
  assert.deepEqual(formatMailBody(word).split('\n').map((l) => l.length), [996, 204, 0]);
});

test('html-to-text basics: entities, inline styles, links as footnotes, paragraphs', () => {
  assert.equal(decodeEntities('a &amp; b &lt;c&gt; &#39;d&#x27; &unknown;'), "a & b <c> 'd' &unknown;");
  assert.equal(drupalHtmlToText('<p>Hi <strong>you</strong></p><p>See <a href="/user">this</a>.</p>', 'http://x.test'),
    'Hi *you*\n\nSee this [1].\n\n\n[1] http://x.test/user\n');
});

const account: Account = {
  uid: 3, name: 'bob', pass: '$S$Dabcdefghtds5Q5yJjb43QRxefgfHRs3znZYZRwGCRcZ22.ItBx5', mail: 'bob@example.com', theme: '',
  signature: '', signature_format: null, created: 1600000000, changed: 0, access: 0, login: 1690000000, status: 1,
  timezone: null, language: '', picture: 0, init: '', data: null,
};
const data = (over: Partial<TokenData> = {}): TokenData => ({
  account, settings: SiteSettings.of({ site_name: 'My Site', site_mail: 'site@example.com', site_slogan: 'Hi' }),
  keys: { privateKey: 'pk', hashSalt: 'SALT' }, baseUrl: 'https://example.com/sub', now: 1700000000, ...over,
});

test('tokens: the one-time link is Drupal\'s (drupal-internals.md §4 vector)', () => {
  assert.equal(replaceTokens('[user:one-time-login-url]', data()),
    'https://example.com/sub/user/reset/3/1700000000/RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y');
  assert.equal(replaceTokens('[user:cancel-url]', data()),
    'https://example.com/sub/user/3/cancel/confirm/1700000000/RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y');
});

test('tokens: user, site, date; unknown ones cleared; values not rescanned', () => {
  const d = data({ password: '[site:mail]' });
  assert.equal(replaceTokens('[user:name] [user:mail] [user:uid] [user:edit-url] [user:url]', d),
    'bob bob@example.com 3 https://example.com/sub/user/3/edit https://example.com/sub/user/3');
  assert.equal(replaceTokens('[site:name]|[site:url]|[site:url-brief]|[site:login-url]|[site:mail]|[site:slogan]', d),
    'My Site|https://example.com/sub/|example.com/sub|https://example.com/sub/user|site@example.com|Hi');
  assert.equal(replaceTokens('[user:password]', d), '[site:mail]');
  assert.equal(replaceTokens('a[node:title]b[user:nope]c[user:password]d', data()), 'abcd');
  assert.equal(replaceTokens('[date:raw] [date:short] [date:medium] [date:long] [date:custom:Y-m-d\\TH:i:sP]', d),
    '1700000000 11/14/2023 - 22:13 Tue, 11/14/2023 - 22:13 Tuesday, November 14, 2023 - 22:13 2023-11-14T22:13:20+00:00');
  assert.equal(phpDate('D, d M Y H:i:s O', 1700000000, 'Europe/Berlin'), 'Tue, 14 Nov 2023 23:13:20 +0100');
  assert.equal(replaceTokens('not [a token] [also:not a]] x', d), 'not [a token] ] x');
});

test('texts: site settings win when non-empty; our defaults otherwise', () => {
  const s = SiteSettings.of({ user_mail_password_reset_subject: 'Custom [user:name]', user_mail_password_reset_body: '' });
  assert.equal(mailText(s, 'password_reset', 'subject'), 'Custom [user:name]');
  assert.equal(mailText(s, 'password_reset', 'body'), defaultMailText('password_reset', 'body'));
});

test('our defaults carry who, which site, the working link, and the password when known', () => {
  const mailer = createAccountMailer();
  const ctx = { settings: SiteSettings.of({ site_name: 'My Site', site_mail: 'site@example.com' }), keys: { privateKey: 'pk', hashSalt: 'SALT' }, baseUrl: 'https://example.com/sub/', now: 1700000000 };
  const link = 'https://example.com/sub/user/reset/3/1700000000/RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y';
  for (const kind of ACCOUNT_MAIL_KINDS) {
    const m = mailer.compose(kind, account, { ...ctx, password: 's3cret pass' });
    assert.equal(m.mailId, `user_${kind}`);
    assert.equal(m.from, 'site@example.com');
    assert.equal(m.to, kind === 'register_pending_approval_admin' ? 'site@example.com' : 'bob@example.com');
    assert.match(m.subject, /My Site/, kind);
    assert.match(m.subject + m.body, /bob/, kind);
    assert.ok(m.body.endsWith('\n') && !/ \n/.test(m.body.replace(/^-- \n/m, '')), `${kind}: hard breaks only`);
    assert.ok(m.body.split('\n').every((l) => l.length <= 77 || !l.includes(' ')), `${kind}: wrapped (links stay whole)`);
    assert.doesNotMatch(m.body + m.subject, /\[(user|site|date):/, `${kind}: every token replaced`);
    if (['register_admin_created', 'register_no_approval_required', 'status_activated', 'password_reset'].includes(kind)) assert.ok(m.body.includes(link), kind);
    if (kind === 'cancel_confirm') assert.ok(m.body.includes('https://example.com/sub/user/3/cancel/confirm/1700000000/'), kind);
    if (kind === 'register_pending_approval_admin') assert.ok(m.body.includes('https://example.com/sub/user/3/edit'), kind);
    const withPassword = kind === 'register_admin_created' || kind === 'register_no_approval_required';
    assert.equal(m.body.includes('s3cret pass'), withPassword, `${kind}: password only at registration`);
  }
  const noPassword = mailer.compose('register_admin_created', account, ctx);
  assert.doesNotMatch(noPassword.body, /Password:/);
  assert.match(noPassword.body, /user\s+name\s+"bob"/);
});

test('From header quotes display names with specials', () => {
  assert.equal(formatFromHeader('Services peer', 'a@b.c'), 'Services peer <a@b.c>');
  assert.equal(formatFromHeader('Acme, Inc. "West"', 'a@b.c'), '"Acme, Inc. \\"West\\"" <a@b.c>');
  assert.equal(formatFromHeader('', 'a@b.c'), 'a@b.c');
});
