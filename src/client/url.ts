/** URL building: endpoint paths and PHP-style (bracketed) query strings. */

/** `http://host:8080/` + `rest` → `http://host:8080/rest`; a base path (`http://host/drupal`) is kept. */
export function joinUrl(base: string, ...parts: string[]): string {
  let out = base.replace(/\/+$/, '');
  for (const p of parts) {
    const t = p.replace(/^\/+|\/+$/g, '');
    if (t) out += `/${t}`;
  }
  return out;
}

function enc(s: string): string {
  // Commas stay literal (`fields=uid,name`), as Drupal clients usually send them.
  return encodeURIComponent(s).replace(/%2C/gi, ',');
}

function flatten(prefix: string, value: unknown, out: string[]): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
    for (const [k, v] of entries) flatten(`${prefix}[${k}]`, v, out);
    return;
  }
  out.push(`${enc(prefix)}=${enc(String(value))}`);
}

/** `{page: 0, parameters: {name: 'bob'}}` → `page=0&parameters%5Bname%5D=bob` (PHP `$_GET` nesting). */
export function encodeQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const out: string[] = [];
  for (const [k, v] of Object.entries(query)) flatten(k, v, out);
  return out.join('&');
}

/** Parses a one-time login link `…/user/reset/{uid}/{timestamp}/{hash}[/login]`. */
export function parseResetLink(link: string): { uid: string; timestamp: string; hashed_pass: string } | undefined {
  const m = /\/user\/reset\/(\d+)\/(\d+)\/([A-Za-z0-9_-]+)/.exec(link);
  return m ? { uid: m[1], timestamp: m[2], hashed_pass: m[3] } : undefined;
}
