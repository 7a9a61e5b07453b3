/** A small HTTPS client for site B's front: SNI and Host www.example.test, the front's self-signed certificate trusted. */
import https from 'node:https';

export interface Reply { status: number; reason: string; headers: Record<string, string | string[] | undefined>; text: string; json: any }

export function siteBRequest(port: number, ca: Buffer, method: string, path: string, o: { body?: unknown; form?: string; cookie?: string; token?: string } = {}): Promise<Reply> {
  const body = o.form ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const headers: Record<string, string> = { Host: 'www.example.test', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = o.form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
  if (o.cookie) headers.Cookie = o.cookie;
  if (o.token) headers['X-CSRF-Token'] = o.token;
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method, path, headers, ca, servername: 'www.example.test' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
