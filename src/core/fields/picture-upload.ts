/**
 * A picture uploaded on the account form: user_validate_picture's checks through file_save_upload, with
 * Drupal's messages. Gatehouse has no image toolkit, so a picture over `user_picture_dimensions` is refused
 * the way Drupal refuses it when GD is missing, never scaled.
 */
import { imageSize } from 'image-size';
import { placeholder } from '../errors.js';
import type { SiteSettings } from '../settings/site-settings.js';

/** A file the browser sent in the form's `picture_upload` input. */
export interface PictureUpload { readonly filename: string; readonly bytes: Buffer }

const UPLOAD = Symbol('picture upload');

/** Marks an uploaded file, so no parsed body (JSON, XML, a form) can pass for one. */
export function pictureUpload(file: { filename: string; bytes: Buffer }): PictureUpload {
  return Object.assign(Object.create(null) as object, { ...file, [UPLOAD]: true }) as PictureUpload;
}

export function isPictureUpload(v: unknown): v is PictureUpload {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[UPLOAD] === true;
}

/** file_save_upload's default extension list, when the caller names none (the user module names none). */
const DEFAULT_EXTENSIONS = ['jpg', 'jpeg', 'gif', 'png', 'txt', 'doc', 'xls', 'pdf', 'ppt', 'pps', 'odt', 'ods', 'odp'];

/** What getimagesize tells of the three types Drupal's GD toolkit takes (image_get_info's extension). */
const IMAGE_TYPES: Record<string, { extension: string; mime: string }> = {
  png: { extension: 'png', mime: 'image/png' },
  jpg: { extension: 'jpg', mime: 'image/jpeg' },
  gif: { extension: 'gif', mime: 'image/gif' },
};

/** file_get_mimetype for the names an accepted picture can have. */
const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', png: 'image/png', txt: 'text/plain', doc: 'application/msword',
  xls: 'application/vnd.ms-excel', pdf: 'application/pdf', ppt: 'application/vnd.ms-powerpoint', pps: 'application/vnd.ms-powerpoint',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet', odp: 'application/vnd.oasis.opendocument.presentation',
};

export type CheckedPicture =
  | { ok: true; filename: string; filemime: string; extension: string; bytes: Buffer }
  | { ok: false; message: string };

/** Validates an upload as Drupal 7 does for the picture (user_validate_picture → file_save_upload → file_validate). */
export function checkPictureUpload(settings: SiteSettings, upload: PictureUpload): CheckedPicture {
  const filename = mungeFilename(basename(upload.filename).replace(/^\.+|\.+$/g, ''));
  const errors: string[] = [];
  const info = imageInfo(upload.bytes);
  // file_validate_is_image
  if (!info) errors.push('Only JPEG, PNG and GIF images are allowed.');
  // file_validate_image_resolution (no toolkit to scale with: too large is refused)
  const dimensions = settings.string('user_picture_dimensions', '85x85');
  const max = /^(\d+)x(\d+)$/.exec(dimensions);
  if (info && max && (info.width > Number(max[1]) || info.height > Number(max[2]))) {
    errors.push(`The image is too large; the maximum dimensions are ${placeholder(dimensions)} pixels.`);
  }
  // file_validate_size
  const limit = Number(settings.string('user_picture_file_size', '30')) * 1024;
  if (limit > 0 && upload.bytes.length > limit) {
    errors.push(`The file is ${placeholder(formatSize(upload.bytes.length))} exceeding the maximum file size of ${placeholder(formatSize(limit))}.`);
  }
  // file_validate_name_length
  if (filename === '') errors.push("The file's name is empty. Please give a name to the file.");
  else if ([...filename].length > 240) errors.push("The file's name exceeds the 240 characters limit. Please rename the file and try again.");
  // file_validate_extensions (the default list)
  const extension = /\.([^.]+)$/.exec(filename)?.[1].toLowerCase() ?? '';
  if (!DEFAULT_EXTENSIONS.includes(extension)) errors.push(`Only files with the following extensions are allowed: ${placeholder(DEFAULT_EXTENSIONS.join(' '))}.`);
  if (errors.length > 0 || !info) {
    const head = `The specified file ${placeholder(filename)} could not be uploaded.`;
    return { ok: false, message: errors.length > 1 ? `${head}<div class="item-list"><ul>${errors.map((e) => `<li>${e}</li>`).join('')}</ul></div>` : `${head} ${errors[0]}` };
  }
  return { ok: true, filename, filemime: MIME_BY_EXTENSION[extension] ?? 'application/octet-stream', extension: info.extension, bytes: upload.bytes };
}

function imageInfo(bytes: Buffer): { width: number; height: number; extension: string } | null {
  try {
    const size = imageSize(bytes);
    const type = size.type ? IMAGE_TYPES[size.type] : undefined;
    if (!type || !size.width || !size.height) return null;
    return { width: size.width, height: size.height, extension: type.extension };
  } catch {
    return null;
  }
}

/** drupal_basename: the last path segment (browsers may send a full Windows path). */
function basename(name: string): string {
  return name.split(/[\\/]/).pop() ?? '';
}

/**
 * file_munge_filename: an inner part that looks like an extension (2–5 letters, maybe a digit) and is not on
 * the list gets an underscore (`a.php.png` → `a.php_.png`); null bytes go.
 */
function mungeFilename(name: string): string {
  const parts = name.replace(/\0/g, '').split('.');
  if (parts.length <= 2) return parts.join('.');
  const last = parts.pop()!;
  const first = parts.shift()!;
  const inner = parts.map((p) => (!DEFAULT_EXTENSIONS.includes(p.toLowerCase()) && /^[a-zA-Z]{2,5}\d?$/.test(p) ? `${p}_` : p));
  return [first, ...inner, last].join('.');
}

/** format_size: bytes below 1 KB, else KB/MB/… rounded to two decimals. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let size = bytes / 1024;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let unit = 0;
  while (Math.round(size * 100) / 100 >= 1024 && unit < units.length - 1) { size /= 1024; unit++; }
  return `${Math.round(size * 100) / 100} ${units[unit]}`;
}
