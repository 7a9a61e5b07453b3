import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, cookieOf } from '../helpers/http.js';
import { seedContent } from './legacy-content-rows.js';
import { rows } from './legacy-site.js';
import { useStranglerRig } from './strangler-server.js';

/**
 * Cancelling or deleting an account through Gatehouse has the effects Drupal 7's core modules have on the
 * legacy content tables (user_cancel → hook_user_cancel of comment and node; user_delete → hook_user_delete).
 */
describe('strangler mode: cancel and delete have Drupal\'s effects on the legacy content', () => {
  const rig = useStranglerRig('content');
  const q = (sql: string, params: unknown[] = []) => rows(rig.legacy, sql, params);
  const one = async (sql: string, params: unknown[]) => (await q(sql, params))[0];
  let admin = { cookie: '', token: '' };

  /** A new account (through Gatehouse, so it is in both databases) with its content in the legacy tables. */
  const accountWithContent = async (name: string, base: number) => {
    const reg = await call(`${rig.gate.url}/api/user/register`, { method: 'POST', json: { name, mail: `${name}@example.test`, pass: `${name}-pass-1` } });
    assert.equal(reg.status, 200, reg.text);
    const uid = Number(reg.json.uid);
    return { uid, content: await seedContent(q, uid, base) };
  };
  const cancel = async (uid: number, method: string) => {
    await rig.gate.setVariable('user_cancel_method', method);
    if (admin.cookie === '') {
      const login = await call(`${rig.gate.url}/api/user/login`, { method: 'POST', json: { username: 'admin', password: 'B-admin-2013!' } });
      assert.equal(login.status, 200, login.text);
      admin = { cookie: cookieOf(login.json), token: login.json.token };
    }
    const res = await call(`${rig.gate.url}/api/user/${uid}/cancel`, { method: 'POST', headers: { cookie: admin.cookie, 'x-csrf-token': admin.token }, json: {} });
    assert.equal(res.status, 200, res.text);
  };

  it('user_cancel_block blocks and leaves the content as it was', async () => {
    const { uid, content } = await accountWithContent('block_bea', 1000);
    await cancel(uid, 'user_cancel_block');
    assert.equal(Number((await one('SELECT status FROM users WHERE uid = ?', [uid])).status), 0);
    assert.equal(Number((await one('SELECT status FROM node WHERE nid = ?', [content.own.nid])).status), 1);
    assert.equal(Number((await one('SELECT status FROM comment WHERE cid = ?', [content.other.comment])).status), 1);
  });

  it('user_cancel_block_unpublish unpublishes the nodes (current revision too) and comments, as node_mass_update and comment_save do', async () => {
    const { uid, content } = await accountWithContent('unpublish_ulf', 2000);
    await cancel(uid, 'user_cancel_block_unpublish');
    assert.equal(Number((await one('SELECT status FROM users WHERE uid = ?', [uid])).status), 0);
    const node = await one('SELECT status, uid, changed FROM node WHERE nid = ?', [content.own.nid]);
    assert.deepEqual([Number(node.status), Number(node.uid)], [0, uid]);
    assert.ok(Number(node.changed) > 1_790_000_000, 'changed is the request time');
    const current = await one('SELECT status, uid FROM node_revision WHERE vid = ?', [content.own.vid]);
    assert.deepEqual([Number(current.status), Number(current.uid)], [0, 1], 'the current revision: unpublished, saved by the acting user');
    assert.equal(Number((await one('SELECT status FROM node_revision WHERE vid = ?', [content.own.oldVid])).status), 1, 'older revisions stay as they were');
    assert.equal((await q('SELECT nid FROM taxonomy_index WHERE nid = ?', [content.own.nid])).length, 0, 'unpublished nodes leave the taxonomy index');
    assert.equal((await q('SELECT nid FROM taxonomy_index WHERE nid = ?', [content.other.nid])).length, 1);
    assert.equal(Number((await one('SELECT status FROM comment WHERE cid = ?', [content.other.comment])).status), 0);
    assert.equal(Number((await one('SELECT status FROM comment WHERE cid = ?', [content.other.reply])).status), 1, 'replies by others stay published');
    const stats = await one('SELECT comment_count, cid, last_comment_uid FROM node_comment_statistics WHERE nid = ?', [content.other.nid]);
    assert.deepEqual([Number(stats.comment_count), Number(stats.cid), Number(stats.last_comment_uid)], [1, content.other.reply, 3]);
    assert.equal(Number((await one('SELECT status FROM node WHERE nid = ?', [content.other.nid])).status), 1, 'other people\'s nodes are untouched');
  });

  it('user_cancel_reassign gives the nodes, revisions and comments to uid 0 and deletes the account', async () => {
    const { uid, content } = await accountWithContent('reassign_rae', 3000);
    await cancel(uid, 'user_cancel_reassign');
    assert.equal((await q('SELECT uid FROM users WHERE uid = ?', [uid])).length, 0);
    const node = await one('SELECT status, uid FROM node WHERE nid = ?', [content.own.nid]);
    assert.deepEqual([Number(node.status), Number(node.uid)], [1, 0]);
    assert.equal(Number((await one('SELECT uid FROM node_revision WHERE vid = ?', [content.own.oldVid])).uid), 0);
    assert.equal(Number((await one('SELECT uid FROM node_revision WHERE vid = ?', [content.own.vid])).uid), 1, 'the current revision was saved by the acting user');
    assert.equal(Number((await one('SELECT uid FROM node_revision WHERE vid = ?', [content.other.revisionByUser])).uid), 0);
    const comment = await one('SELECT uid, status FROM comment WHERE cid = ?', [content.other.comment]);
    assert.deepEqual([Number(comment.uid), Number(comment.status)], [0, 1]);
    assert.equal((await q('SELECT nid FROM history WHERE uid = ?', [uid])).length, 0);
    assert.equal((await q('SELECT entity_id FROM field_data_body WHERE entity_id = ?', [content.own.nid])).length, 1, 'the content itself stays');
    assert.equal((await q('SELECT nid FROM taxonomy_index WHERE nid = ?', [content.own.nid])).length, 1);
  });

  it('user_cancel_delete deletes the nodes with their comments and fields, the comments with their replies, and the old revisions', async () => {
    const { uid, content } = await accountWithContent('delete_del', 4000);
    await cancel(uid, 'user_cancel_delete');
    assert.equal((await q('SELECT uid FROM users WHERE uid = ?', [uid])).length, 0);
    assert.equal((await q('SELECT nid FROM node WHERE nid = ?', [content.own.nid])).length, 0);
    assert.equal((await q('SELECT vid FROM node_revision WHERE nid = ?', [content.own.nid])).length, 0);
    assert.equal((await q("SELECT entity_id FROM field_revision_body WHERE entity_type = 'node' AND entity_id = ?", [content.own.nid])).length, 0);
    assert.equal((await q('SELECT nid FROM node_comment_statistics WHERE nid = ?', [content.own.nid])).length, 0);
    assert.equal((await q('SELECT nid FROM taxonomy_index WHERE nid = ?', [content.own.nid])).length, 0);
    const gone = [content.own.commentByOther, content.other.comment, content.other.reply];
    assert.equal((await q(`SELECT cid FROM comment WHERE cid IN (${gone.join(',')})`)).length, 0, 'comments on its nodes, its comments and their replies');
    assert.equal((await q(`SELECT entity_id FROM field_data_comment_body WHERE entity_type = 'comment' AND entity_id IN (${gone.join(',')})`)).length, 0);
    assert.equal((await q('SELECT vid FROM node_revision WHERE vid = ?', [content.other.revisionByUser])).length, 0, 'its old revision of another node');
    assert.equal((await q('SELECT vid FROM node_revision WHERE vid = ?', [content.other.vid])).length, 1, 'that node\'s current revision stays');
    const stats = await one('SELECT comment_count, cid, last_comment_uid FROM node_comment_statistics WHERE nid = ?', [content.other.nid]);
    assert.deepEqual([Number(stats.comment_count), Number(stats.cid), Number(stats.last_comment_uid)], [0, 0, 1]);
    assert.equal((await q('SELECT nid FROM history WHERE uid = ?', [uid])).length, 0);
  });

  it('DELETE on the user resource (user_delete) deletes the content too', async () => {
    const { uid, content } = await accountWithContent('plain_delete_pia', 5000);
    const res = await call(`${rig.gate.url}/api/user/${uid}`, { method: 'DELETE', headers: { cookie: admin.cookie, 'x-csrf-token': admin.token } });
    assert.equal(res.status, 200, res.text);
    assert.equal((await q('SELECT nid FROM node WHERE nid = ?', [content.own.nid])).length, 0);
    assert.equal((await q('SELECT cid FROM comment WHERE cid = ?', [content.other.comment])).length, 0);
  });
});
