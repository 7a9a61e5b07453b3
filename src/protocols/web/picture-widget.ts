/**
 * The account form's Picture fieldset (user_account_form's `picture` element): the current picture with its
 * "Delete picture" box, and the "Upload picture" file input when the server has a public files folder.
 */
import { fileUrl } from '../../core/fields/file-url.js';
import { formatSize } from '../../core/fields/picture-upload.js';
import type { Account } from '../../core/model.js';
import { checkbox, esc, fieldId } from './html.js';
import { fieldError, type FormProblem } from './form-errors-view.js';
import type { WebRequest } from './web-request.js';

export async function pictureFieldset(web: WebRequest, target: Account, problem?: FormProblem): Promise<string> {
  const own = web.uid === target.uid;
  const file = target.picture > 0 ? await web.core.store.files.byFid(target.picture) : undefined;
  const parts: string[] = [];
  if (file) {
    const alt = `${target.name}'s picture`;
    parts.push(`<div class="user-picture"><img src="${esc(fileUrl(file.uri, web.settings, web.site.baseUrl))}" alt="${esc(alt)}" title="${esc(alt)}"></div>`);
    parts.push(checkbox('picture_delete', 'Delete picture', '1', false));
    parts.push(`<div class="description">Check this box to delete ${own ? 'your' : 'the'} current picture.</div>`);
  }
  if (web.core.publicFiles) {
    const id = fieldId('picture_upload');
    const error = fieldError(problem, 'picture_upload');
    const dimensions = web.settings.string('user_picture_dimensions', '85x85');
    const size = Number(web.settings.string('user_picture_file_size', '30')) * 1024;
    const guidelines = web.settings.string('user_picture_guidelines', '');
    const description = `Your virtual face or picture: a JPEG, PNG or GIF image of at most ${dimensions} pixels${size > 0 ? ` and ${formatSize(size)}` : ''}.${guidelines ? ` ${guidelines}` : ''}`;
    const describedBy = [`${id}-description`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
    parts.push(`<div class="form-item"><label for="${id}">Upload picture</label><input type="file" id="${id}" name="picture_upload" accept="image/png,image/jpeg,image/gif" aria-describedby="${describedBy}"${error ? ' aria-invalid="true"' : ''}>`
      + `<div class="description" id="${id}-description">${esc(description)}</div>${error ? `<div class="error" id="${id}-error">${error}</div>` : ''}</div>`);
  } else if (!file) {
    parts.push('<p class="description">No picture. Pictures cannot be uploaded on this server.</p>');
  }
  return `<fieldset id="edit-picture"><legend>Picture</legend>${parts.join('')}</fieldset>`;
}
