/** Requests with any Host header and raw sockets, for the reliability suite. */
import http from 'node:http';
import net from 'node:net';

export interface RawAnswer { status: number; reason: string; headers: http.IncomingHttpHeaders; text: string }

/** One request over node:http, which sends the Host header it is given (fetch would not). */
export function request(url: string, o: { method?: string; host?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawAnswer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method: o.method ?? (o.body === undefined ? 'GET' : 'POST'), agent: false,
      headers: { ...(o.host ? { Host: o.host } : {}), Accept: 'application/json', ...(o.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...o.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Opens a raw TCP connection and resolves once connected. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves with what the server sent once it closes the connection (or '' on reset). */
export function closed(s: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    s.on('data', (c: Buffer) => { got += c.toString('latin1'); });
    s.on('error', () => undefined);
    s.once('close', () => resolve(got));
  });
}
