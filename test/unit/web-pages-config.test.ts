import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { servedWebPages } from '../../src/protocols/web/index.js';
import { describeBrowser } from '../../src/protocols/session/user-agent.js';

describe('webPages configuration', () => {
  it('defaults: every group, none in strangler mode', () => {
    assert.deepEqual(servedWebPages(loadConfig({ env: {} })), ['account', 'console']);
    assert.deepEqual(servedWebPages(loadConfig({ env: { GATEHOUSE_LEGACY_ORIGIN: 'http://drupal.internal' } })), []);
  });

  it('GATEHOUSE_WEB_PAGES names groups (or none); an unknown group is refused', () => {
    assert.deepEqual(servedWebPages(loadConfig({ env: { GATEHOUSE_LEGACY_ORIGIN: 'http://d', GATEHOUSE_WEB_PAGES: 'account' } })), ['account']);
    assert.deepEqual(servedWebPages(loadConfig({ env: { GATEHOUSE_WEB_PAGES: 'none' } })), []);
    assert.throws(() => loadConfig({ env: { GATEHOUSE_WEB_PAGES: 'account,admin' } }), (e: unknown) => e instanceof ConfigError && /"admin" is no page group/.test(e.message));
  });
});

describe('describeBrowser', () => {
  it('names common browsers and systems, and keeps unknown agents short', () => {
    assert.equal(describeBrowser('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'), 'Firefox 128 on Linux');
    assert.equal(describeBrowser('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'), 'Safari 17 on iOS');
    assert.equal(describeBrowser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'), 'Edge 126 on Windows');
    assert.equal(describeBrowser(''), 'Unknown');
    assert.equal(describeBrowser('MyApp/1.0'), 'MyApp/1.0');
  });
});
