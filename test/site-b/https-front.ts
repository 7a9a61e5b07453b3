/**
 * Site B's TLS terminator for tests: an HTTP(S) front on 127.0.0.1 that forwards each request to Gatehouse
 * with `X-Forwarded-Proto: https` and `X-Forwarded-For: <client>`, as site B's nginx did (Gatehouse trusts
 * 127.0.0.1). With `tls`, a throw-away self-signed certificate for www.example.test (openssl); without, a plain
 * listener (the replay harness speaks plain HTTP to it and the front plays the part of the TLS hop).
 * Status line (reason phrase included), headers and body come back as Gatehouse sent them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export interface Front { port: number; cert: Buffer | null; close(): Promise<void> }

export async function startHttpsFront(o: { to: number; tls: boolean }): Promise<Front> {
  let cert: Buffer | null = null;
  let key: Buffer | null = null;
  if (o.tls) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=www.example.test',
      '-addext', 'subjectAltName=DNS:www.example.test', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem')], { stdio: 'ignore' });
    cert = fs.readFileSync(path.join(dir, 'c.pem'));
    key = fs.readFileSync(path.join(dir, 'k.pem'));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
    headers['x-forwarded-proto'] = 'https';
    headers['x-forwarded-for'] = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const up = http.request({ host: '127.0.0.1', port: o.to, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.statusMessage, r.rawHeaders.filter((_, i, a) => !/^(transfer-encoding|connection)$/i.test(a[i - (i % 2)])));
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  };
  const server = cert && key ? https.createServer({ cert, key }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port, cert,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
