// Slow and greedy clients over raw sockets: headers and bodies that never finish are cut off by the
// configured timeouts, and connections beyond the per-address and overall limits are closed unread.
// Small limits are set here so every wait is short; each wait is also capped so a missing limit fails.
import assert from 'node:assert/strict';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { closed, connect, request } from './raw.js';

const CAP_MS = 8_000;

/** What the server sent before closing, or a failure when it keeps the connection past CAP_MS. */
async function closedWithin(s: net.Socket): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('connection still open')), CAP_MS); });
  try { return await Promise.race([closed(s), cap]); } finally { clearTimeout(timer); s.destroy(); }
}

describe('timeouts', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ preset: 'empty', config: { connections: { requestTimeoutMs: 800, headersTimeoutMs: 400, keepAliveTimeoutMs: 300, max: 100, perIp: 50 } } }); });
  after(() => t.close());

  it('closes a connection whose headers never end', async () => {
    const s = await connect(t.port);
    s.write('POST /rest/user/login.json HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => { if (!s.destroyed) s.write('X-Slow: 1\r\n'); }, 100);
    try { assert.match(await closedWithin(s), /^$|^HTTP\/1\.1 408/); } finally { clearInterval(drip); }
  });

  it('answers 408 and closes a body sent one byte at a time', async () => {
    const s = await connect(t.port);
    s.write(`POST /rest/user/login.json HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    const drip = setInterval(() => { if (!s.destroyed) s.write(' '); }, 100);
    try { assert.match(await closedWithin(s), /^HTTP\/1\.1 408/); } finally { clearInterval(drip); }
  });

  it('closes an idle keep-alive connection', async () => {
    const s = await connect(t.port);
    s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n\r\n`);
    assert.match(await closedWithin(s), /^HTTP\/1\.1 200/);
  });
});

describe('connection limits', () => {
  let t: TestServer;
  before(async () => { t = await startTestServer({ preset: 'empty', config: { connections: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, max: 100, perIp: 4 } } }); });
  after(() => t.close());

  it('closes connections from one address beyond perIp, unread, and counts them', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => connect(t.port)));
    try {
      const extra = await connect(t.port);
      extra.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n\r\n`);
      assert.equal(await closedWithin(extra), '');
    } finally { for (const s of held) s.destroy(); }
    // Once those are gone the address is served again.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await request(`${t.url}/healthz`)).status, 200);
    assert.match((await request(`${t.url}/metrics`)).text, /gatehouse_connections_refused_total\{limit="per-ip"\} [1-9]/);
  });

  it('closes connections beyond the overall limit', async () => {
    const s2 = await startTestServer({ preset: 'empty', config: { connections: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, max: 3, perIp: 0 } } });
    const held = await Promise.all(Array.from({ length: 3 }, () => connect(s2.port)));
    try {
      await new Promise((r) => setTimeout(r, 50));
      const extra = await connect(s2.port);
      extra.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${s2.port}\r\n\r\n`);
      assert.equal(await closedWithin(extra), '');
    } finally { for (const s of held) s.destroy(); await s2.close(); }
  });
});
