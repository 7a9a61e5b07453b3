import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PublicFiles } from '../core/ports.js';

/** A `public://` URI Gatehouse writes or reads: plain path segments only, never `..`, never absolute. */
const SAFE_URI = /^public:\/\/((?:[A-Za-z0-9_][A-Za-z0-9._-]*\/)*[A-Za-z0-9_][A-Za-z0-9._-]*)$/;

/** How many `_N` names file_create_filename tries beside a taken one before giving up. */
const MAX_RENAMES = 1000;

/**
 * Drupal's public files folder on disk (the public stream wrapper): `public://pictures/a.png` is
 * `<root>/pictures/a.png`. Folders are made as file_prepare_directory does (0775), files written 0664
 * (file_chmod_file), each created exclusively so two uploads never share a name.
 */
export class PublicFilesFolder implements PublicFiles {
  constructor(readonly root: string) {}

  /** The file behind `uri` on disk, or null for a URI this folder does not serve. */
  pathOf(uri: string): string | null {
    const m = SAFE_URI.exec(uri);
    return m ? path.join(this.root, ...m[1].split('/')) : null;
  }

  async create(uri: string, bytes: Buffer): Promise<string> {
    const target = this.pathOf(uri);
    if (target === null) throw new Error(`not a public file URI Gatehouse writes: ${uri}`);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o775 });
    const ext = path.extname(target);
    const stem = target.slice(0, target.length - ext.length);
    for (let n = -1; n < MAX_RENAMES; n++) {
      const candidate = n < 0 ? target : `${stem}_${n}${ext}`;
      try {
        await fs.writeFile(candidate, bytes, { flag: 'wx', mode: 0o664 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      return n < 0 ? uri : `${uri.slice(0, uri.length - ext.length)}_${n}${ext}`;
    }
    throw new Error(`no free name beside ${uri}`);
  }

  async open(uri: string): Promise<{ size: number; modified: Date; stream: NodeJS.ReadableStream } | null> {
    const target = this.pathOf(uri);
    const stat = target === null ? null : await fs.stat(target).catch(() => null);
    if (target === null || !stat?.isFile()) return null;
    return { size: stat.size, modified: stat.mtime, stream: createReadStream(target) };
  }

  async remove(uri: string): Promise<void> {
    const target = this.pathOf(uri);
    if (target === null) return;
    await fs.unlink(target).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err; });
  }
}
