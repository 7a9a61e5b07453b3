import { request } from 'undici';
import type { Config } from '../config/config.js';
import { sessionCookieName } from '../core/crypto/cookie-name.js';
import { csrfToken } from '../core/crypto/csrf-token.js';
import { newSessionId } from '../core/crypto/session-id.js';
import type { Gatehouse } from '../gatehouse.js';
import { CLIENT_HOST_VARIABLE } from './forward-preparation.js';
import { checkLegacyHashes } from './legacy-hash-check.js';
import type { LegacyLink } from './legacy-link.js';

/** One line of the report: `ok` agrees, `differs` needs attention. */
export interface Finding { check: string; ok: boolean; detail: string }

const LIST_LIMIT = 10;

/**
 * `gatehouse bridge check`: is the legacy site reachable, and do both sides agree on users, roles, session
 * id hashing, the private key, the cookie name and the CSRF token? The last three are proved at once by
 * asking the legacy origin for the token of a made-up session under Gatehouse's cookie name.
 */
export async function checkBridge(config: Config, g: Gatehouse & { legacy: LegacyLink }, o: { clientHost?: string } = {}): Promise<Finding[]> {
  const out: Finding[] = [];
  const legacy = g.legacy;
  try {
    await legacy.db.ping();
    out.push({ check: 'legacy database', ok: true, detail: 'reachable' });
  } catch (err) {
    out.push({ check: 'legacy database', ok: false, detail: (err as Error).message });
    return out;
  }
  out.push(await compareUsers(g, legacy));
  out.push(await compareRoles(g, legacy));
  out.push({ check: 'legacy password hashes', ...(await checkLegacyHashes(legacy.db)) });
  const hashed = legacy.target.hashedSessionIds;
  out.push({ check: 'session id hashing', ok: hashed, detail: hashed
    ? 'the legacy site stores base64url(sha256(id)), as Gatehouse does: sessions are shared'
    : 'the legacy site stores plain session ids (hashed_session_ids_supported off): Gatehouse keeps only hashes, so sessions are NOT shared' });
  const legacyKey = await legacy.db.variable('drupal_private_key');
  out.push({ check: 'private key', ok: legacyKey === g.core.keys.privateKey, detail: legacyKey === g.core.keys.privateKey
    ? 'drupal_private_key is the same on both sides' : 'drupal_private_key differs: import it (gatehouse import drupal7) or set it with gatehouse variable set' });
  const status = await legacy.writeBack.status();
  out.push({ check: 'pending write-backs', ok: status.pending === 0, detail: status.pending === 0
    ? 'none' : `${status.pending} waiting in bridge_outbox; oldest failed ${status.attempts} time(s): ${status.lastError ?? '(not tried yet)'}` });
  out.push({ check: 'refused write-backs', ok: status.dead === 0, detail: status.dead === 0
    ? 'none' : `${status.dead} write(s) the legacy database can never accept as they are (bridge_outbox.dead = 1); last: ${status.deadError ?? ''}` });
  if (config.legacy.origin) out.push(...(await probeOrigin(config, g, await clientHost(config, g, o.clientHost))));
  else out.push({ check: 'legacy origin', ok: false, detail: 'no GATEHOUSE_LEGACY_ORIGIN configured' });
  return out;
}

async function compareUsers(g: Gatehouse, legacy: LegacyLink): Promise<Finding> {
  const theirs = new Map((await legacy.db.users()).map((u) => [u.uid, u]));
  const rows = await g.core.store.accounts.list({ fields: ['uid', 'name', 'mail', 'status'], conditions: [], orderBy: [{ column: 'uid', direction: 'ASC' }], offset: 0, limit: 1_000_000 });
  const ours = new Map(rows.filter((r) => Number(r.uid) > 0).map((r) => [Number(r.uid), r]));
  const problems: string[] = [];
  for (const [uid, u] of ours) {
    const t = theirs.get(uid);
    if (!t) problems.push(`uid ${uid} (${String(u.name)}) only in Gatehouse`);
    else for (const k of ['name', 'mail', 'status'] as const) if (String(u[k]) !== String(t[k])) problems.push(`uid ${uid} ${k}: Gatehouse "${String(u[k])}", legacy "${String(t[k])}"`);
  }
  for (const [uid, t] of theirs) if (!ours.has(uid)) problems.push(`uid ${uid} (${t.name}) only on the legacy site`);
  const shown = problems.slice(0, LIST_LIMIT).join('; ') + (problems.length > LIST_LIMIT ? `; … ${problems.length - LIST_LIMIT} more` : '');
  return { check: 'users', ok: problems.length === 0, detail: problems.length === 0 ? `${ours.size} accounts, the same on both sides` : shown };
}

async function compareRoles(g: Gatehouse, legacy: LegacyLink): Promise<Finding> {
  const theirs = await legacy.db.roles();
  const ours = await g.core.store.roles.all();
  const key = (r: { rid: number; name: string }) => `${r.rid}:${r.name}`;
  const a = new Set(ours.map((r) => key({ rid: Number(r.rid), name: r.name })));
  const b = new Set(theirs.map(key));
  const onlyOurs = [...a].filter((k) => !b.has(k));
  const onlyTheirs = [...b].filter((k) => !a.has(k));
  const ok = onlyOurs.length === 0 && onlyTheirs.length === 0;
  return { check: 'roles', ok, detail: ok ? `${a.size} roles, the same rids and names` : `only in Gatehouse: ${onlyOurs.join(', ') || '-'}; only on the legacy site: ${onlyTheirs.join(', ') || '-'}` };
}

/** The Host clients reach Gatehouse under: as given, else as the server last saw it on a forwarded request, else baseUrl's. */
async function clientHost(config: Config, g: Gatehouse, given: string | undefined): Promise<{ host: string; from: string }> {
  if (given) return { host: given, from: 'given with --client-host' };
  const seen = await g.store.variables.get(CLIENT_HOST_VARIABLE);
  if (typeof seen === 'string' && seen !== '') return { host: seen, from: 'the Host of the last request Gatehouse forwarded' };
  const site = new URL(config.baseUrl ?? config.legacy.origin ?? 'http://localhost');
  return { host: site.host, from: `no request forwarded yet: assumed ${config.baseUrl ? 'baseUrl\'s' : 'the origin\'s'} host (give the real one with --client-host)` };
}

/**
 * The cookie name Gatehouse gives a client arriving under `host` (its base URL's, when one is set) — the
 * name Drupal must derive from the same forwarded Host header for forwarded requests to be that client's.
 */
export function gatehouseCookieName(config: Config, host: string): { name: string; https: boolean } {
  const site = config.baseUrl ? new URL(config.baseUrl) : null;
  const https = (site?.protocol ?? new URL(config.legacy.origin ?? 'http://localhost').protocol) === 'https:';
  const input = site ? site.host + site.pathname.replace(/\/+$/, '') : host.toLowerCase();
  return { name: sessionCookieName({ host: input, basePath: '', https, cookieDomain: config.cookieDomain }), https };
}

/**
 * Asks the legacy site for the CSRF token of a made-up session, sent as a forwarded request is: the Host
 * clients use, the cookie under the name Gatehouse gives them. Drupal derives its cookie name from that Host
 * unless settings.php sets `$cookie_domain` or `$base_url`: a different name means forwarded requests are anonymous.
 */
async function probeOrigin(config: Config, g: Gatehouse, client: { host: string; from: string }): Promise<Finding[]> {
  const origin = config.legacy.origin as string;
  const host = client.host;
  const { name, https } = gatehouseCookieName(config, host);
  const sid = newSessionId();
  const expected = csrfToken(sid, g.core.keys.privateKey, g.core.keys.hashSalt);
  try {
    const res = await request(`${origin}/services/session/token`, {
      headers: { host, cookie: `${name}=${sid}`, 'x-forwarded-proto': https ? 'https' : 'http' },
      headersTimeout: config.legacy.timeoutMs, bodyTimeout: config.legacy.timeoutMs,
    });
    const body = (await res.body.text()).trim();
    const reachable: Finding = { check: 'legacy origin', ok: true, detail: `${origin} answered ${res.statusCode}` };
    if (res.statusCode !== 200) return [reachable, { check: 'cookie name and CSRF token', ok: false, detail: `GET /services/session/token answered ${res.statusCode}: is Services' session token path enabled?` }];
    const ok = body === expected;
    const sent = `Host ${host} (${client.from})`;
    return [reachable, { check: 'cookie name and CSRF token', ok, detail: ok
      ? `the legacy site reads cookie ${name} and computes the same token (same private key and hash salt); probed with ${sent}`
      : `the legacy site's token for a session in cookie ${name} differs from Gatehouse's, probed with ${sent}: the cookie name differs `
        + '(Drupal derives it from the Host when settings.php sets neither $cookie_domain nor $base_url: set $cookie_domain there and '
        + 'GATEHOUSE_COOKIE_DOMAIN to the same value, or have clients reach Gatehouse under the legacy host), or drupal_private_key or the hash salt differ' }];
  } catch (err) {
    return [{ check: 'legacy origin', ok: false, detail: `${origin}: ${(err as Error).message}` }];
  }
}
