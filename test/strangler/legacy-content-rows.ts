import type { Q } from './legacy-pg-site.js';

/** The content rows of one account, as Drupal 7's standard profile stores them (ids derived from `base`). */
export interface SeededContent {
  /** The account's article (current revision `vid`, an older one `oldVid`), with a comment by uid 3 (`onOwn`). */
  own: { nid: number; vid: number; oldVid: number; commentByOther: number };
  /** uid 1's article the account commented on (`comment`, answered by uid 3 in `reply`) and once revised (`revisionByUser`). */
  other: { nid: number; vid: number; revisionByUser: number; comment: number; reply: number };
}

const T = 1_790_000_000;

/** Writes the rows node_save, comment_save, taxonomy and history would have written. */
export async function seedContent(q: Q, uid: number, base: number): Promise<SeededContent> {
  const own = { nid: base, vid: base * 10 + 2, oldVid: base * 10 + 1, commentByOther: base * 10 + 3 };
  const other = { nid: base + 1, vid: base * 10 + 5, revisionByUser: base * 10 + 4, comment: base * 10 + 6, reply: base * 10 + 7 };
  const node = (nid: number, vid: number, owner: number, title: string) => q(
    "INSERT INTO node (nid, vid, type, language, title, uid, status, created, changed, comment, promote, sticky, tnid, translate) VALUES (?, ?, 'article', 'und', ?, ?, 1, ?, ?, 2, 1, 0, 0, 0)",
    [nid, vid, title, owner, T, T]);
  const revision = (nid: number, vid: number, author: number, title: string) => q(
    "INSERT INTO node_revision (nid, vid, uid, title, log, timestamp, status, comment, promote, sticky) VALUES (?, ?, ?, ?, '', ?, 1, 2, 1, 0)", [nid, vid, author, title, T]);
  const body = async (nid: number, vid: number, current: boolean) => {
    const values = ['node', 'article', nid, vid, 'und', 0, `body of ${nid} at ${vid}`, '', 'filtered_html'];
    if (current) await q('INSERT INTO field_data_body (entity_type, bundle, entity_id, revision_id, language, delta, body_value, body_summary, body_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', values);
    await q('INSERT INTO field_revision_body (entity_type, bundle, entity_id, revision_id, language, delta, body_value, body_summary, body_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', values);
  };
  const comment = async (cid: number, pid: number, nid: number, author: number, name: string, thread: string) => {
    await q("INSERT INTO comment (cid, pid, nid, uid, subject, hostname, created, changed, status, thread, name, mail, homepage, language) VALUES (?, ?, ?, ?, ?, '127.0.0.1', ?, ?, 1, ?, ?, '', '', 'und')",
      [cid, pid, nid, author, `comment ${cid}`, T + cid, T + cid, thread, name]);
    for (const t of ['field_data_comment_body', 'field_revision_comment_body']) {
      await q(`INSERT INTO ${t} (entity_type, bundle, entity_id, revision_id, language, delta, comment_body_value, comment_body_format) VALUES ('comment', 'comment_node_article', ?, ?, 'und', 0, 'text', 'filtered_html')`, [cid, cid]);
    }
  };
  const [{ name }] = await q('SELECT name FROM users WHERE uid = ?', [uid]);
  await node(own.nid, own.vid, uid, 'own article');
  await revision(own.nid, own.oldVid, uid, 'own article, first draft');
  await revision(own.nid, own.vid, uid, 'own article');
  await body(own.nid, own.oldVid, false);
  await body(own.nid, own.vid, true);
  await node(other.nid, other.vid, 1, 'the admin\'s article');
  await revision(other.nid, other.revisionByUser, uid, 'the admin\'s article, as the account edited it');
  await revision(other.nid, other.vid, 1, 'the admin\'s article');
  await body(other.nid, other.vid, true);
  await comment(own.commentByOther, 0, own.nid, 3, 'bob', '01/');
  await comment(other.comment, 0, other.nid, uid, String(name), '01/');
  await comment(other.reply, other.comment, other.nid, 3, 'bob', '01.00/');
  await q('INSERT INTO node_comment_statistics (nid, cid, last_comment_timestamp, last_comment_name, last_comment_uid, comment_count) VALUES (?, ?, ?, NULL, 3, 1), (?, ?, ?, NULL, 3, 2)',
    [own.nid, own.commentByOther, T + own.commentByOther, other.nid, other.reply, T + other.reply]);
  await q('INSERT INTO taxonomy_index (nid, tid, sticky, created) VALUES (?, 1, 0, ?), (?, 1, 0, ?)', [own.nid, T, other.nid, T]);
  await q('INSERT INTO history (uid, nid, timestamp) VALUES (?, ?, ?), (3, ?, ?)', [uid, other.nid, T, own.nid, T]);
  return { own, other };
}
