import type { SiteSettings } from '../settings/site-settings.js';

/** file_create_url for the public and private stream wrappers; other URIs are returned as they are. */
export function fileUrl(uri: string, settings: SiteSettings, baseUrl: string): string {
  const m = /^(public|private):\/\/(.*)$/.exec(uri);
  if (!m) return uri;
  const path = m[2].split('/').map(rawUrlEncode).join('/');
  if (m[1] === 'private') return `${baseUrl}/system/files/${path}`;
  return `${baseUrl}/${filePublicPath(settings)}/${path}`;
}

/** The site's public files path (file_public_path), without leading or trailing slashes. */
export function filePublicPath(settings: SiteSettings): string {
  return trimSlashes(settings.string('file_public_path', 'sites/default/files'));
}

/** The pictures' folder below `public://` (user_picture_path), without leading or trailing slashes. */
export function userPicturePath(settings: SiteSettings): string {
  return trimSlashes(settings.string('user_picture_path', 'pictures'));
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** PHP rawurlencode (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay). */
function rawUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
