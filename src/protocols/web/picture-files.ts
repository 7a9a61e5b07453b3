/**
 * The pictures in the public files folder, at the URL the user object gives them (file_create_url:
 * `/<file_public_path>/<user_picture_path>/<name>`), as the web server in front of Drupal served them. Only
 * images, by name; the folder's other files stay the web server's. The two settings are read at start.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SiteSettings } from '../../core/settings/site-settings.js';
import { filePublicPath, userPicturePath } from '../../core/fields/file-url.js';
import type { WebDeps } from './web-request.js';

const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif' };
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*\.(png|jpe?g|gif)$/i;
/** Drupal's .htaccess: ExpiresDefault A1209600 (two weeks). */
const MAX_AGE = 1_209_600;

export async function pictureFiles(app: FastifyInstance, deps: WebDeps): Promise<void> {
  const files = deps.core.publicFiles;
  if (!files) return;
  const settings = await SiteSettings.load(deps.core.store.variables, deps.config.siteDefaults);
  const pictures = userPicturePath(settings);
  const prefix = [filePublicPath(settings), pictures].filter((p) => p !== '').join('/');
  app.get(`/${prefix}/:name`, async (request, reply) => {
    const { name } = request.params as { name: string };
    const file = NAME.test(name) ? await files.open(`public://${pictures ? `${pictures}/` : ''}${name}`) : null;
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    return reply
      .type(TYPES[path.extname(name).slice(1).toLowerCase()]!)
      .header('Content-Length', String(file.size))
      .header('Last-Modified', file.modified.toUTCString())
      .header('Cache-Control', `max-age=${MAX_AGE}`)
      .header('X-Content-Type-Options', 'nosniff')
      .send(file.stream);
  });
}
