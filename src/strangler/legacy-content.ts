import type { LegacyDatabase, LegacyQuery } from './legacy-database.js';

/** How an account is cancelled (Drupal 7's user_cancel methods). */
export type CancelMethod = 'user_cancel_block' | 'user_cancel_block_unpublish' | 'user_cancel_reassign' | 'user_cancel_delete';

/** Tables of optional core modules, touched only where the site has them. */
const OPTIONAL = ['comment', 'node_comment_statistics', 'taxonomy_index', 'history', 'node_access', 'search_dataset', 'search_index', 'search_node_links'] as const;
type Optional = (typeof OPTIONAL)[number];

const list = (ids: number[]) => ids.map(() => '?').join(', ');
const numbers = (rows: Record<string, unknown>[], column: string) => [...new Set(rows.map((r) => Number(r[column])))];

/**
 * What Drupal 7's core modules do to a cancelled or deleted account's content, as writes on the legacy
 * tables, each call in one legacy transaction (a retried write-back lands once):
 * - hook_user_cancel (user.module invokes it for every method but user_cancel_delete; comment before node):
 *   comment_user_cancel and node_user_cancel — `user_cancel_block_unpublish` unpublishes the comments and
 *   nodes, `user_cancel_reassign` gives them to uid 0 (node revisions authored by the account too, history
 *   cleaned); nodes are saved as node_mass_update saves them (changed and the current revision's timestamp
 *   = now, its author = the acting user; taxonomy_index kept for published nodes only; node_access rows
 *   rewritten; search marked for reindexing), comments as comment_save does (node_comment_statistics).
 * - hook_user_delete (every deletion, after the cancel hooks): comment_user_delete deletes the account's
 *   comments with their replies, node_user_delete its nodes (with their comments, field values, index rows)
 *   and its old revisions of other nodes, and its history.
 */
export class LegacyContent {
  private present: Set<string> | null = null;

  constructor(private readonly db: LegacyDatabase) {}

  async userCancel(uid: number, method: CancelMethod, actor: number, now: number): Promise<void> {
    if (method !== 'user_cancel_block_unpublish' && method !== 'user_cancel_reassign') return;
    const has = await this.optionalTables();
    await this.db.transaction(`cancel the content of user ${uid}`, async (q) => {
      const edit = new ContentEdit(q, has, now);
      if (method === 'user_cancel_block_unpublish') {
        await edit.saveComments(uid, 'status = 0');
        await edit.saveNodes(uid, 'status = 0', actor);
        return;
      }
      await edit.saveComments(uid, 'uid = 0');
      await edit.saveNodes(uid, 'uid = 0', actor);
      await q('UPDATE node_revision SET uid = 0 WHERE uid = ?', [uid]);
      if (has('history')) await q('DELETE FROM history WHERE uid = ?', [uid]);
    });
  }

  async userDelete(uid: number): Promise<void> {
    const has = await this.optionalTables();
    const fieldTables = await this.db.fieldTables();
    await this.db.transaction(`delete the content of user ${uid}`, async (q) => {
      const edit = new ContentEdit(q, has, 0, fieldTables);
      if (has('comment')) await edit.deleteComments(numbers(await q('SELECT cid FROM comment WHERE uid = ?', [uid]), 'cid'));
      await edit.deleteNodes(numbers(await q('SELECT nid FROM node WHERE uid = ?', [uid]), 'nid'));
      // node_revision_delete: the account's old revisions of other nodes (never a current one).
      const old = numbers(await q('SELECT r.vid FROM node_revision r JOIN node n ON n.nid = r.nid WHERE r.uid = ? AND r.vid <> n.vid', [uid]), 'vid');
      if (old.length > 0) {
        await q(`DELETE FROM node_revision WHERE vid IN (${list(old)})`, old);
        await edit.deleteFieldRows('node', 'revision_id', old, 'field_revision_');
      }
      if (has('history')) await q('DELETE FROM history WHERE uid = ?', [uid]);
    });
  }

  private async optionalTables(): Promise<(t: Optional) => boolean> {
    if (!this.present) {
      const found = new Set<string>();
      for (const t of OPTIONAL) if ((await this.db.tables(t)).includes(t)) found.add(t);
      this.present = found;
    }
    const present = this.present;
    return (t) => present.has(t);
  }
}

/** The writes of one cancellation or deletion, over one legacy transaction. */
class ContentEdit {
  constructor(private readonly q: LegacyQuery, private readonly has: (t: Optional) => boolean, private readonly now: number, private readonly fieldTables: string[] = []) {}

  /** comment_save of each of the account's comments with `change` applied, then the node statistics. */
  async saveComments(uid: number, change: 'status = 0' | 'uid = 0'): Promise<void> {
    if (!this.has('comment')) return;
    const nids = numbers(await this.q('SELECT nid FROM comment WHERE uid = ?', [uid]), 'nid');
    await this.q(`UPDATE comment SET ${change} WHERE uid = ?`, [uid]);
    for (const nid of nids) await this.updateStatistics(nid);
  }

  /** node_mass_update of the account's nodes: node_save without a new revision. */
  async saveNodes(uid: number, change: 'status = 0' | 'uid = 0', actor: number): Promise<void> {
    const nids = numbers(await this.q('SELECT nid FROM node WHERE uid = ?', [uid]), 'nid');
    if (nids.length === 0) return;
    const revisionChange = change === 'status = 0' ? 'status = 0, ' : '';
    await this.q(`UPDATE node_revision SET ${revisionChange}uid = ?, timestamp = ? WHERE vid IN (SELECT vid FROM node WHERE nid IN (${list(nids)}))`, [actor, this.now, ...nids]);
    await this.q(`UPDATE node SET ${change}, changed = ? WHERE nid IN (${list(nids)})`, [this.now, ...nids]);
    // taxonomy_build_node_index keeps index rows for published nodes only; reassigned nodes keep theirs.
    if (change === 'status = 0' && this.has('taxonomy_index')) await this.q(`DELETE FROM taxonomy_index WHERE nid IN (${list(nids)})`, nids);
    if (this.has('node_access')) await this.q(`DELETE FROM node_access WHERE nid IN (${list(nids)})`, nids);
    if (this.has('search_dataset')) await this.q(`UPDATE search_dataset SET reindex = ? WHERE type = 'node' AND sid IN (${list(nids)})`, [this.now, ...nids]);
  }

  /** comment_delete_multiple: the comments, their field values, their replies (recursively), then statistics. */
  async deleteComments(cids: number[]): Promise<void> {
    if (cids.length === 0) return;
    const nids = numbers(await this.q(`SELECT nid FROM comment WHERE cid IN (${list(cids)})`, cids), 'nid');
    await this.q(`DELETE FROM comment WHERE cid IN (${list(cids)})`, cids);
    await this.deleteFieldRows('comment', 'entity_id', cids);
    await this.deleteComments(numbers(await this.q(`SELECT cid FROM comment WHERE pid IN (${list(cids)})`, cids), 'cid'));
    for (const nid of nids) await this.updateStatistics(nid);
  }

  /** node_delete_multiple with the core hooks of the standard profile (comment, taxonomy, field, search). */
  async deleteNodes(nids: number[]): Promise<void> {
    if (nids.length === 0) return;
    const In = `IN (${list(nids)})`;
    if (this.has('comment')) await this.deleteComments(numbers(await this.q(`SELECT cid FROM comment WHERE nid ${In}`, nids), 'cid'));
    if (this.has('node_comment_statistics')) await this.q(`DELETE FROM node_comment_statistics WHERE nid ${In}`, nids);
    if (this.has('taxonomy_index')) await this.q(`DELETE FROM taxonomy_index WHERE nid ${In}`, nids);
    await this.deleteFieldRows('node', 'entity_id', nids);
    for (const t of ['search_dataset', 'search_index', 'search_node_links'] as const) {
      if (this.has(t)) await this.q(`DELETE FROM ${t} WHERE type = 'node' AND sid ${In}`, nids);
    }
    await this.q(`DELETE FROM node WHERE nid ${In}`, nids);
    await this.q(`DELETE FROM node_revision WHERE nid ${In}`, nids);
    if (this.has('history')) await this.q(`DELETE FROM history WHERE nid ${In}`, nids);
    if (this.has('node_access')) await this.q(`DELETE FROM node_access WHERE nid ${In}`, nids);
  }

  /** field_attach_delete / field_attach_delete_revision: the entities' rows in the Field API tables. */
  async deleteFieldRows(entityType: 'node' | 'comment', column: 'entity_id' | 'revision_id', ids: number[], only = 'field_'): Promise<void> {
    for (const table of this.fieldTables.filter((t) => t.startsWith(only))) {
      await this.q(`DELETE FROM ${table} WHERE entity_type = ? AND ${column} IN (${list(ids)})`, [entityType, ...ids]);
    }
  }

  /** _comment_update_node_statistics. */
  private async updateStatistics(nid: number): Promise<void> {
    if (!this.has('node_comment_statistics')) return;
    const [count] = await this.q('SELECT COUNT(cid) AS n FROM comment WHERE nid = ? AND status = 1', [nid]);
    if (Number(count.n) > 0) {
      const [last] = await this.q('SELECT cid, name, changed, uid FROM comment WHERE nid = ? AND status = 1 ORDER BY cid DESC LIMIT 1', [nid]);
      await this.q('UPDATE node_comment_statistics SET cid = ?, comment_count = ?, last_comment_timestamp = ?, last_comment_name = ?, last_comment_uid = ? WHERE nid = ?',
        [last.cid, Number(count.n), last.changed, Number(last.uid) ? '' : last.name, last.uid, nid]);
      return;
    }
    const [node] = await this.q('SELECT uid, created FROM node WHERE nid = ?', [nid]);
    if (!node) return;
    await this.q("UPDATE node_comment_statistics SET cid = 0, comment_count = 0, last_comment_timestamp = ?, last_comment_name = '', last_comment_uid = ? WHERE nid = ?", [node.created, node.uid, nid]);
  }
}
