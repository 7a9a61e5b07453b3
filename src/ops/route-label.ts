/**
 * The `route` label of a request: the URL path with its format suffix dropped and every argument (numeric ids,
 * anything not a plain word) replaced by `:arg`, so `/rest/user/2.json` and `/rest/user/7` are both
 * `/rest/user/:arg`. Paths nothing serves share one label, so the number of series stays bounded.
 */
import { boundedMemo } from '../lib/bounded-memo.js';

const MAX_LABELS = 500;
const seen = new Set<string>();

export function routeLabel(url: string, status: number, matched: boolean): string {
  if (!matched || status === 404) return 'unmatched';
  const label = labelOf(url);
  if (seen.has(label)) return label;
  if (seen.size >= MAX_LABELS) return 'other';
  seen.add(label);
  return label;
}

/** The label a URL reads as (remembered: the same URLs come back on every request). */
const labelOf = boundedMemo((url) => {
  const path = url.split('?')[0];
  const q = /[?&]q=([^&]*)/.exec(url);
  const source = path === '/' && q ? `/${safeDecode(q[1]).replace(/^\/+/, '')}` : path;
  const parts = source.split('/').filter(Boolean).slice(0, 4).map((segment, i, all) => {
    const bare = i === all.length - 1 ? segment.replace(/\.[A-Za-z]+$/, '') : segment;
    return /^[A-Za-z_][A-Za-z0-9_-]{0,40}$/.test(bare) ? bare : ':arg';
  });
  return `/${parts.join('/')}`;
});

function safeDecode(s: string): string {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
}

const clientFaults = new WeakSet<object>();

/**
 * Marks a request answered 500 for the client's own mistake (as Drupal did: an unparseable Content-Type or
 * Accept): its status label becomes `500-client`, so alerts on `status=~"5.."` count only server errors.
 */
export function markClientFault(request: object): void {
  clientFaults.add(request);
}

export function statusLabel(request: object, status: number): string {
  return clientFaults.has(request) ? `${status}-client` : String(status);
}
