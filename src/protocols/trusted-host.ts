import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config/config.js';

/** Drupal 8's answer to a Host outside `trusted_host_patterns`. */
export const UNTRUSTED_HOST_MESSAGE = 'The provided host name is not valid for this server.';

/** Paths that build no URL and that load balancers probe by address: never refused for their Host. */
function exemptPaths(config: Config): Set<string> {
  return new Set(['/healthz', '/readyz', ...(config.metricsPath !== null && config.metricsPort === null ? [config.metricsPath] : [])]);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** Splits a Host header into host name and port (null when absent); null for a malformed value. */
export function splitHost(value: string): { name: string; port: number | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9._~%!$&'()*+,;=-]+)(?::(\d{1,5}))?$/i.exec(value);
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * Which Host headers this server answers (Drupal 8's trusted_host_patterns). Every absolute URL the server
 * builds — one-time login links in mails, picture URLs, the session cookie's name — comes from the base URL
 * or from the Host, so a forged Host must not reach them:
 * - `trustedHosts` set: the host name (without port) must match one of the patterns (anchored regular
 *   expressions, case-insensitive, as in Drupal 8's settings.php);
 * - else a base URL set: every URL comes from it, so any Host is answered — except in the hardened profile,
 *   which answers only the base URL's host;
 * - neither: only the listening host and localhost/127.0.0.1/[::1], on the port the connection reached.
 * A request without a Host header (HTTP/1.0) is answered: the server's own address stands in for it.
 */
export class TrustedHosts {
  private readonly patterns: RegExp[];
  private readonly exempt: Set<string>;
  private readonly baseHost: string | null;

  constructor(private readonly config: Config) {
    this.patterns = config.trustedHosts.map((p) => new RegExp(p, 'i'));
    this.exempt = exemptPaths(config);
    this.baseHost = config.baseUrl === null ? null : new URL(config.baseUrl).hostname.toLowerCase();
    const own = config.host.toLowerCase();
    this.local = new Set(LOOPBACK);
    if (!WILDCARD.has(own)) this.local.add(own.includes(':') && !own.startsWith('[') ? `[${own}]` : own);
  }

  /** What is trusted, in words (logged at start). */
  describe(port: number): string {
    if (this.patterns.length > 0) return `hosts matching ${this.config.trustedHosts.join(', ')}`;
    if (this.baseHost !== null) return this.config.security === 'hardened' ? `the base URL's host ${this.baseHost}` : `any host (every URL comes from the base URL ${this.config.baseUrl})`;
    return `${[...this.localNames()].join(', ')} on port ${port} only (set trustedHosts or baseUrl to serve other host names)`;
  }

  /** Whether a request with this Host header, reaching the server's `localPort`, is answered. */
  allows(hostHeader: string | undefined, localPort: number | undefined): boolean {
    if (hostHeader === undefined || hostHeader === '') return true;
    const host = splitHost(hostHeader);
    if (host === null) return false;
    if (this.patterns.length > 0) return this.patterns.some((p) => p.test(host.name));
    if (this.baseHost !== null) return this.config.security !== 'hardened' || host.name === this.baseHost;
    if (!this.localNames().has(host.name)) return false;
    return host.port === null ? localPort === 80 : host.port === localPort;
  }

  /** The listening host and the loopback names: what is trusted when nothing is configured. */
  private readonly local: Set<string>;

  private localNames(): ReadonlySet<string> { return this.local; }

  /**
   * The check on a raw request, before anything else reads it: refuses with 400 and says why. Returns true
   * when it answered.
   */
  refuse(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.allows(req.headers.host, req.socket.localPort)) return false;
    const path = (req.url ?? '/').split('?')[0];
    if (this.exempt.has(path)) return false;
    res.writeHead(400, 'Bad Request', { 'Content-Type': 'text/plain; charset=UTF-8', Connection: 'close' });
    res.end(UNTRUSTED_HOST_MESSAGE);
    return true;
  }
}
