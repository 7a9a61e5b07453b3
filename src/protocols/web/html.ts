/**
 * The pages' HTML: small template functions, no framework, no script. Every value is escaped here except
 * messages from the domain catalogue, which already carry Drupal's markup with their values escaped.
 */
import { escapeHtml } from '../../core/errors.js';

export const esc = escapeHtml;

/** Headers of every page: never cached, never framed, forms only to this site. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=UTF-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
};

export interface Message { type: 'status' | 'error' | 'warning'; html: string }

export interface Layout {
  siteName: string;
  title: string;
  basePath: string;
  /** Who is logged in (name), or null. */
  user: { uid: number; name: string; admin: boolean; logoutToken: string } | null;
  messages?: Message[];
  /** Strangler mode: the console links the legacy write-backs page. */
  strangler?: boolean;
}

function navigation(l: Layout): string {
  const b = l.basePath;
  const links: Array<[string, string]> = l.user
    ? [[`${b}/user/${l.user.uid}/edit`, 'My account'], [`${b}/user/sessions`, 'My sessions']]
    : [[`${b}/user/login`, 'Log in'], [`${b}/user/register`, 'Create new account'], [`${b}/user/password`, 'Request new password']];
  if (l.user?.admin) links.push([`${b}/admin/people`, 'People'], [`${b}/admin/people/sessions`, 'Sessions'], [`${b}/admin/people/flood`, 'Flood'], [`${b}/admin/mail`, 'Mail'], [`${b}/admin/audit`, 'Audit log'], [`${b}/admin/config/people/accounts`, 'Account settings']);
  if (l.user?.admin && l.strangler) links.push([`${b}/admin/strangler`, 'Write-backs']);
  const items = links.map(([href, text]) => `<li><a href="${esc(href)}">${esc(text)}</a></li>`).join('');
  return `<nav aria-label="Site"><ul>${items}</ul></nav>`;
}

/** A whole document: header with the site's name and navigation, messages, then the page's own content. */
export function page(l: Layout, content: string): string {
  const messages = (l.messages ?? []).map((m) =>
    `<div class="messages ${m.type}" role="${m.type === 'status' ? 'status' : 'alert'}">${m.html}</div>`).join('\n');
  const logout = l.user ? `<form method="post" action="${esc(l.basePath)}/user/logout" class="logout"><p>Logged in as <strong>${esc(l.user.name)}</strong> <button type="submit">Log out</button></p><input type="hidden" name="form_token" value="${esc(l.user.logoutToken)}"></form>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(l.title)} | ${esc(l.siteName)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}
header{border-bottom:1px solid #ccc}nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
label{display:block;margin-top:.8rem;font-weight:bold}input[type=text],input[type=email],input[type=password],select{padding:.3rem;min-width:18rem}
button{margin-top:.8rem;padding:.4rem .9rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
.messages{padding:.5rem;margin:.5rem 0;border:1px solid}.status{border-color:#060;color:#060}.error{border-color:#a00;color:#a00}
.warning{border-color:#a60}label.required::after{content:" *";color:#a00}.inline label,.inline button{display:inline;margin-right:.5rem}fieldset{margin-top:1rem}
td label{display:inline;margin:0;font-weight:normal}:focus{outline:3px solid #36c;outline-offset:2px}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff}</style></head>
<body><a class="skip" href="#main">Skip to main content</a>
<header><p><strong>${esc(l.siteName)}</strong></p>${navigation(l)}${logout}</header>
<main id="main"><h1>${esc(l.title)}</h1>
${messages}
${content}
</main></body></html>`;
}

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'hidden' | 'number';
  value?: string;
  required?: boolean;
  autocomplete?: string;
  description?: string;
  /** An error on this element (HTML-safe). */
  error?: string;
}

/** A labelled input (its id is `edit-<name>`), with its description and error tied to it. */
export function input(f: Field): string {
  const id = fieldId(f.name);
  const describedBy = [f.description ? `${id}-description` : '', f.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = [
    `type="${f.type ?? 'text'}"`, `id="${id}"`, `name="${esc(f.name)}"`,
    f.value !== undefined && f.type !== 'password' ? `value="${esc(f.value)}"` : '',
    f.required ? 'required' : '', f.autocomplete ? `autocomplete="${esc(f.autocomplete)}"` : '',
    describedBy ? `aria-describedby="${describedBy}"` : '', f.error !== undefined ? 'aria-invalid="true"' : '',
  ].filter(Boolean).join(' ');
  return `<div class="form-item"><label for="${id}"${f.required ? ' class="required"' : ''}>${esc(f.label)}</label><input ${attrs}>${
    f.description ? `<div class="description" id="${id}-description">${esc(f.description)}</div>` : ''}${
    f.error ? `<div class="error" id="${id}-error">${f.error}</div>` : ''}</div>`;
}

/** A labelled select; `options` are [value, text]. */
export function select(name: string, label: string, options: Array<[string, string]>, selected: string, error?: string): string {
  const id = fieldId(name);
  const opts = options.map(([v, t]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(t)}</option>`).join('');
  return `<div class="form-item"><label for="${id}">${esc(label)}</label><select id="${id}" name="${esc(name)}"${error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${opts}</select>${
    error ? `<div class="error" id="${id}-error">${error}</div>` : ''}</div>`;
}

/** A labelled checkbox. */
export function checkbox(name: string, label: string, value: string, checked: boolean, id = fieldId(`${name}-${value}`)): string {
  return `<div class="form-item"><input type="checkbox" id="${esc(id)}" name="${esc(name)}" value="${esc(value)}"${checked ? ' checked' : ''}> <label for="${esc(id)}" style="display:inline">${esc(label)}</label></div>`;
}

/** A form posting to `action` with its CSRF token. */
export function form(o: { action: string; token: string; id: string; submit: string; body: string; className?: string; submitLabel?: string; multipart?: boolean }): string {
  return `<form method="post" action="${esc(o.action)}" id="${esc(o.id)}"${o.className ? ` class="${o.className}"` : ''}${o.multipart ? ' enctype="multipart/form-data"' : ''}>
<input type="hidden" name="form_token" value="${esc(o.token)}">
${o.body}
<button type="submit" id="${esc(o.id)}-submit"${o.submitLabel ? ` aria-label="${esc(o.submitLabel)}"` : ''}>${esc(o.submit)}</button>
</form>`;
}

/** A table with a caption; cells are HTML-safe already. */
export function table(caption: string, head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
}

export function fieldId(name: string): string {
  return `edit-${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;
}

export function dateTime(seconds: number): string {
  return seconds > 0 ? esc(new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')) : 'never';
}
