/** Drupal's session cookie header values, attribute order as PHP's setcookie() writes them. */
export interface CookieSpec {
  name: string; domain: string | null; secure: boolean; lifetime: number;
  /** Hardened profile: `Lax`; absent = no SameSite attribute, as PHP 5/7 wrote Drupal 7's cookie. */
  sameSite?: 'Lax';
}

const DELETED_EXPIRES = 'Thu, 01 Jan 1970 00:00:01 GMT';

export function sessionCookieHeader(spec: CookieSpec, value: string, nowMs: number): string {
  const expires = new Date(nowMs + spec.lifetime * 1000).toUTCString();
  return [`${spec.name}=${value}`, `expires=${expires}`, `Max-Age=${spec.lifetime}`, 'path=/', ...attrs(spec)].join('; ');
}

export function deletedCookieHeader(spec: CookieSpec): string {
  return [`${spec.name}=deleted`, `expires=${DELETED_EXPIRES}`, 'Max-Age=0', 'path=/', ...attrs(spec)].join('; ');
}

function attrs(spec: CookieSpec): string[] {
  const out: string[] = [];
  if (spec.domain) out.push(`domain=${spec.domain}`);
  if (spec.secure) out.push('secure');
  out.push('HttpOnly');
  if (spec.sameSite) out.push(`SameSite=${spec.sameSite}`);
  return out;
}
