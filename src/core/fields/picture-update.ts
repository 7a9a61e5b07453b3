import type { FormErrors } from '../accounts/form-errors.js';
import type { Account } from '../model.js';
import type { FileRepository } from '../ports.js';
import type { SiteSettings } from '../settings/site-settings.js';
import { placeholder } from '../errors.js';
import { userPicturePath } from './file-url.js';
import { isImage, type ManagedFile } from './managed-file.js';
import { checkPictureUpload, isPictureUpload } from './picture-upload.js';

/**
 * What saving the profile form does to the picture: the new users.picture, the file to make permanent, the
 * file to delete — or an uploaded picture to write at `uri` (its fid is known once its row is inserted).
 */
export interface PictureChange {
  picture: number;
  keep: { fid: number; patch: Partial<Omit<ManagedFile, 'fid'>> } | null;
  deleteFid: number | null;
  upload?: { uri: string; filename: string; filemime: string; bytes: Buffer };
}

/**
 * The picture part of user_profile_form (user_user_presave + user_save), when the site has pictures on:
 * `picture_upload` (or `picture`) naming the fid of an existing image file replaces the picture; otherwise the
 * `picture_delete` checkbox — checked by any non-null value, as Drupal's checkboxes are — removes it. A
 * replaced or removed picture's file is deleted; a temporary file is moved under `user_picture_path` the way
 * Drupal names it (picture-<uid>-<time>.<ext>) and made permanent.
 */
export async function pictureChange(
  files: FileRepository, settings: SiteSettings, target: Account, values: Record<string, unknown>, errors: FormErrors, now: number, o: { uploads: boolean },
): Promise<PictureChange | null> {
  if (!settings.flag('user_pictures')) return null;
  const dir = userPicturePath(settings);
  const deleteFid = target.picture > 0 ? target.picture : null;
  // An upload (the account page's file input) wins over the delete box, as user_save's picture_upload does.
  if (isPictureUpload(values.picture_upload)) {
    if (!o.uploads || settings.string('file_default_scheme', 'public') !== 'public') {
      errors.set('picture_upload', `Failed to upload the picture image; the ${placeholder(dir)} directory doesn't exist or is not writable.`);
      return null;
    }
    const checked = checkPictureUpload(settings, values.picture_upload);
    if (!checked.ok) { errors.set('picture_upload', checked.message); return null; }
    const uri = `public://${dir === '' ? '' : `${dir}/`}picture-${target.uid}-${now}.${checked.extension}`;
    return { picture: 0, keep: null, deleteFid, upload: { uri, filename: checked.filename, filemime: checked.filemime, bytes: checked.bytes } };
  }
  const submitted = fidOf(values.picture_upload) ?? fidOf(values.picture);
  if (submitted !== null && submitted !== target.picture) {
    const file = await files.byFid(submitted);
    if (!file) { errors.set('picture_upload', 'The specified file could not be uploaded.'); return null; }
    if (!isImage(file)) { errors.set('picture_upload', 'Only JPEG, PNG and GIF images are allowed.'); return null; }
    const patch: Partial<Omit<ManagedFile, 'fid'>> = { status: 1 };
    if (file.status === 0) {
      const ext = /\.([^./]+)$/.exec(file.filename)?.[1] ?? 'png';
      const scheme = /^(\w+):\/\//.exec(file.uri)?.[1] ?? 'public';
      patch.filename = `picture-${target.uid}-${now}.${ext}`;
      patch.uri = `${scheme}://${dir === '' ? '' : `${dir}/`}${patch.filename}`;
    }
    return { picture: file.fid, keep: { fid: file.fid, patch }, deleteFid };
  }
  const wantsDelete = Object.prototype.hasOwnProperty.call(values, 'picture_delete') && values.picture_delete !== null && values.picture_delete !== undefined;
  if (wantsDelete && target.picture > 0) return { picture: 0, keep: null, deleteFid: target.picture };
  return null;
}

/** An int fid (number or digit string); anything else (a file object echoed back, '') names nothing. */
function fidOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v === 'string' && /^[1-9]\d*$/.test(v)) return Number(v);
  return null;
}
