import type { SiteSettings } from '../settings/site-settings.js';

/** file_create_url for the public and private stream wrappers; other URIs are returned as they are. */
export function fileUrl(uri: string, settings: SiteSettings, baseUrl: string): string {
  const m = /^(public|private):\/\/(.*)$/.exec(uri);
  if (!m) return uri;
  const path = m[2].split('/').map(rawUrlEncode).join('/');
  if (m[1] === 'private') return `${baseUrl}/system/files/${path}`;
  const dir = settings.string('file_public_path', 'sites/default/files').replace(/^\/+|\/+$/g, '');
  return `${baseUrl}/${dir}/${path}`;
}

/** PHP rawurlencode (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay). */
function rawUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
