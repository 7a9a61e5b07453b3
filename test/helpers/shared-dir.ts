import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, and `../shared` beside it (spec, recordings, fixtures), as CI lays them out. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = process.env.GATEHOUSE_SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared');
