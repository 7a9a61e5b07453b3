import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type mysql from 'mysql2/promise';
import { SITE_B_COOKIE, SITE_B_HASH_SALT } from './legacy-site.js';

export interface StandIn { url: string; port: number; close(): Promise<void> }

const b64url = (buf: Buffer) => buf.toString('base64url');

/**
 * A stand-in for the legacy Drupal 7 site. Its session cookie is site B's (`$cookie_domain` set) or, with
 * `cookieFromHost`, named from the Host header as Drupal names it when settings.php sets neither
 * `$cookie_domain` nor `$base_url` (for hosts without `www.`). It finds the caller the way Drupal 7.10x does over HTTP:
 * session cookie → base64url(sha256(value)) → `sessions.sid` → `users` (blocked = anonymous); it checks
 * X-CSRF-Token with drupal_get_token('services') over the legacy `drupal_private_key` and the hash salt,
 * and echoes who the caller is with the method, path and body; a session cookie it finds no session for is
 * answered with `Set-Cookie: …=deleted`, as drupal_session_commit() does. Extra paths: `/services/session/token`,
 * `/teapot` (custom status line, two cookies), `/utf8-status` (a UTF-8 reason phrase), `/slow` (answers late), `/upload` (counts a streamed body).
 */
export async function startStandInOrigin(db: mysql.Pool, o: { slowMs?: number; cookieFromHost?: boolean } = {}): Promise<StandIn> {
  // conf_init(): with $cookie_domain (site B's) the name is fixed; without it or $base_url, it comes from the Host.
  const cookieName = (host: string) => (o.cookieFromHost ? `SESS${createHash('sha256').update(host.toLowerCase()).digest('hex').slice(0, 32)}` : SITE_B_COOKIE);
  const privateKey = async () => {
    const [r] = await db.query('SELECT value FROM variable WHERE name = ?', ['drupal_private_key']);
    const raw = String((r as any[])[0].value);
    return /^s:\d+:"(.*)";$/.exec(raw)?.[1] ?? '';
  };
  const findCaller = async (cookieValue: string | undefined) => {
    if (!cookieValue) return { uid: 0, name: '' } as { uid: number; name: string; expired?: boolean };
    const sid = b64url(createHash('sha256').update(cookieValue, 'utf8').digest());
    const [r] = await db.query('SELECT u.uid, u.name, u.status FROM users u INNER JOIN sessions s ON u.uid = s.uid WHERE s.sid = ?', [sid]);
    const row = (r as any[])[0];
    if (!row) return { uid: 0, name: '', expired: true };
    return Number(row.uid) > 0 && Number(row.status) === 1 ? { uid: Number(row.uid), name: String(row.name) } : { uid: 0, name: '' };
  };
  const server = http.createServer(async (req, res) => {
    try {
      const cookies = Object.fromEntries((req.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]));
      const sessionName = cookieName(req.headers.host ?? '');
      const sessionId = cookies[sessionName];
      const token = sessionId ? b64url(createHmac('sha256', sessionId + (await privateKey()) + SITE_B_HASH_SALT).update('services').digest()) : null;
      const path = req.url ?? '/';
      if (path === '/upload') {
        let bytes = 0;
        for await (const chunk of req) bytes += (chunk as Buffer).length;
        res.writeHead(200, 'Stored', { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      if (path === '/services/session/token') { res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' }).end(token ?? ''); return; }
      if (path === '/teapot') {
        res.writeHead(418, "I'm a legacy teapot", [['content-type', 'text/plain'], ['set-cookie', 'a=1; path=/'], ['set-cookie', 'b=2; path=/'], ['x-legacy', 'yes']]);
        res.end('short and stout');
        return;
      }
      if (path === '/utf8-status') {
        // As PHP: the reason phrase's UTF-8 bytes as they are (node sends a latin1 string's chars as bytes).
        res.writeHead(406, Buffer.from('Not Acceptable : The name bób 山田 is already taken.', 'utf8').toString('latin1'), { 'content-type': 'text/plain' });
        res.end(Buffer.from('bób 山田', 'utf8'));
        return;
      }
      if (path === '/slow') { await new Promise((r) => setTimeout(r, o.slowMs ?? 3000)); res.end('late'); return; }
      const who = await findCaller(sessionId);
      const csrfHeader = req.headers['x-csrf-token'];
      const csrf = typeof csrfHeader !== 'string' ? 'absent' : csrfHeader === token ? 'valid' : 'invalid';
      // drupal_session_commit(): a session cookie whose session is not in the table ends as `deleted`.
      const { expired, ...caller } = who;
      const deleted = expired ? { 'set-cookie': `${sessionName}=deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=0; path=/; domain=.example.test; httponly` } : {};
      res.writeHead(200, 'OK', { 'content-type': 'application/json', ...deleted });
      res.end(JSON.stringify({ ...caller, method: req.method, path, body, csrf, host: req.headers.host, forwardedFor: req.headers['x-forwarded-for'] ?? null }));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
