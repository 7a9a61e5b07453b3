/**
 * `/admin/people`: the people list for `administer users` (uid 1 included): prefix search on name or e-mail,
 * role and status filters, keyset paging (newest first), bulk block/unblock/role changes/cancel; and
 * `/admin/people/create`. Every change goes through the core (profile update, role edit, cancel, registration).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CANCEL_METHODS, type CancelMethod, cancelAccount } from '../../core/accounts/account-removal.js';
import { updateAccount } from '../../core/accounts/account-update.js';
import { changeRoleOf } from '../../core/accounts/role-change.js';
import type { FlashMessage } from '../../core/core-deps.js';
import { parsePeopleCursor, peopleCursor, type PeopleSort, peopleSortOf } from '../../core/console/console-queries.js';
import { ANONYMOUS_RID, AUTHENTICATED_RID, type Role } from '../../core/model.js';
import { dateTime, esc, form, select, table } from './html.js';
import { formProblem } from './form-errors-view.js';
import { type WebDeps, WebRequest } from './web-request.js';
import { createAccountPage } from './console-create.js';

type Route = { constraints: Record<string, string> };

const PAGE_SIZE = 50;

interface Filters { q: string; role: string; status: string; sort: PeopleSort; after: string }

function filtersOf(query: unknown): Filters {
  const q = (query ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
  // `before=<uid>`: the cursor of the newest-first list in links made before sorting existed.
  return { q: s('q').trim().slice(0, 128), role: s('role'), status: s('status'), sort: peopleSortOf(s('sort')), after: (s('after') || s('before')).slice(0, 512) };
}

function queryString(f: Filters, after?: string): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.role) p.set('role', f.role);
  if (f.status) p.set('status', f.status);
  if (f.sort !== 'newest') p.set('sort', f.sort);
  if (after !== undefined) p.set('after', after);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const assignableRoles = (roles: Role[]) => roles.filter((r) => r.rid !== ANONYMOUS_RID && r.rid !== AUTHENTICATED_RID);

export function consolePeople(app: FastifyInstance, deps: WebDeps, route: Route): void {
  app.get('/admin/people', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    return peopleList(web, reply, filtersOf(request.query));
  });

  app.post('/admin/people', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    if (!web.tokenValid('user_admin_account')) return web.refused(reply);
    const uids = [...new Set(web.form.getAll('accounts').filter((v) => /^\d{1,10}$/.test(v)).map(Number))].slice(0, PAGE_SIZE);
    const back = `/admin/people${web.field('return') === '' ? '' : queryString(filtersOf(Object.fromEntries(new URLSearchParams(web.field('return')))))}`;
    if (uids.length === 0) return web.redirect(reply, back, [{ type: 'error', text: 'No users selected.' }]);
    try {
      return web.redirect(reply, back, await bulk(web, web.field('operation'), uids));
    } catch (err) {
      return web.redirect(reply, back, formProblem(err).messages.map((m) => ({ type: 'error' as const, text: m.html })));
    }
  });

  createAccountPage(app, deps, route);

  /** One bulk operation on the checked accounts: what the next page tells the administrator. */
  async function bulk(web: WebRequest, operation: string, uids: number[]): Promise<FlashMessage[]> {
    const core = deps.core;
    const m = /^(block|unblock|cancel|add_role|remove_role)(?:-(\d+))?$/.exec(operation);
    if (!m) return [{ type: 'error', text: 'Choose an operation.' }];
    if (m[1] === 'add_role' || m[1] === 'remove_role') {
      const changed = await changeRoleOf(core, web.caller, uids, m[1] === 'add_role' ? 'add' : 'remove', Number(m[2]));
      return [{ type: 'status', text: `The roles of ${changed.length} account${changed.length === 1 ? '' : 's'} have been updated.` }];
    }
    const messages: FlashMessage[] = [];
    for (const uid of uids) {
      const target = await core.store.accounts.byUid(uid);
      if (!target || uid === 0) continue;
      if (m[1] === 'cancel') {
        const chosen = web.field('cancel_method');
        const method = (CANCEL_METHODS as readonly string[]).includes(chosen) ? (chosen as CancelMethod) : undefined;
        try {
          messages.push(await cancelAccount(core, web.caller, target, { method }));
        } catch (err) {
          messages.push(...formProblem(err).messages.map((x) => ({ type: 'error' as const, text: x.html })));
          continue;
        }
        continue;
      }
      const status = m[1] === 'block' ? 0 : 1;
      if (target.status === status) continue;
      // user_save (in the core): a blocked account's sessions end, it is logged out everywhere.
      await updateAccount(core, web.caller, target, { status: String(status) }, { passResetVerified: false });
    }
    if (m[1] !== 'cancel') messages.push({ type: 'status', text: 'The update has been performed.' });
    return messages;
  }

  async function peopleList(web: WebRequest, reply: FastifyReply, f: Filters): Promise<FastifyReply> {
    const roles = await deps.core.store.roles.all();
    const rid = /^\d+$/.test(f.role) ? Number(f.role) : undefined;
    const status = f.status === '1' ? 1 : f.status === '0' ? 0 : undefined;
    const rows = await deps.queries.searchAccounts({ prefix: f.q || undefined, rid, status, sort: f.sort, after: parsePeopleCursor(f.sort, f.after), limit: PAGE_SIZE });
    const roleMap = await deps.queries.rolesOfMany(rows.map((r) => r.uid));
    const roleName = (id: number) => roles.find((r) => r.rid === id)?.name ?? String(id);
    const cells = rows.map((r) => [
      `<input type="checkbox" form="user-admin-account" name="accounts" value="${r.uid}" id="account-${r.uid}" aria-label="Select ${esc(r.name)}">`,
      `<label for="account-${r.uid}">${esc(r.name)}</label>`, esc(r.mail), r.status === 1 ? 'active' : 'blocked',
      esc((roleMap.get(r.uid) ?? []).map(roleName).join(', ')), dateTime(r.created), dateTime(r.access),
      `<a href="${esc(web.path(`/user/${r.uid}/edit`))}">edit<span class="skip"> ${esc(r.name)}</span></a> · <a href="${esc(web.path(`/admin/people/sessions?uid=${r.uid}`))}">sessions<span class="skip"> of ${esc(r.name)}</span></a> · <a href="${esc(web.path(`/admin/audit?uid=${r.uid}`))}">audit<span class="skip"> of ${esc(r.name)}</span></a>`,
    ]);
    const filter = `<form method="get" action="${esc(web.path('/admin/people'))}" id="people-filter" role="search">
<div class="form-item"><label for="edit-q">Name or e-mail starts with</label><input type="text" id="edit-q" name="q" value="${esc(f.q)}"></div>
${select('role', 'Role', [['', '- Any -'], ...assignableRoles(roles).map((r): [string, string] => [String(r.rid), r.name])], f.role)}
${select('status', 'Status', [['', '- Any -'], ['1', 'active'], ['0', 'blocked']], f.status)}
${select('sort', 'Sort by', [['newest', 'Member for (newest first)'], ['name', 'Username'], ['access', 'Last access (latest first)']], f.sort)}
<button type="submit" id="people-filter-submit">Filter</button></form>`;
    const operations: Array<[string, string]> = [['', '- Choose an operation -'], ['block', 'Block the selected users'], ['unblock', 'Unblock the selected users'],
      ...assignableRoles(roles).flatMap((r): Array<[string, string]> => [[`add_role-${r.rid}`, `Add the ${r.name} role`], [`remove_role-${r.rid}`, `Remove the ${r.name} role`]]),
      ['cancel', 'Cancel the selected user accounts']];
    const methods: Array<[string, string]> = [['', `The site's default (${web.settings.string('user_cancel_method', 'user_cancel_block')})`],
      ['user_cancel_block', 'Disable the account and keep its content'], ['user_cancel_block_unpublish', 'Disable the account and unpublish its content'],
      ['user_cancel_reassign', 'Delete the account and make its content belong to Anonymous'], ['user_cancel_delete', 'Delete the account and its content']];
    const bulkForm = form({ action: web.path('/admin/people'), token: web.token('user_admin_account'), id: 'user-admin-account', submit: 'Update',
      body: `<fieldset><legend>Update options</legend>${select('operation', 'Operation', operations, '')}${select('cancel_method', 'When cancelling', methods, '')}</fieldset>
<input type="hidden" name="return" value="${esc(queryString(f).slice(1))}">` });
    const next = rows.length === PAGE_SIZE ? `<p><a href="${esc(web.path(`/admin/people${queryString(f, peopleCursor(f.sort, rows[rows.length - 1]))}`))}" id="next-page" rel="next">Next page</a></p>` : '';
    const content = `<p><a href="${esc(web.path('/admin/people/create'))}" id="add-user">Add user</a></p>
${filter}
${bulkForm}
${table('People', ['<span class="skip">Select</span>', 'Username', 'E-mail', 'Status', 'Roles', 'Member since', 'Last access', 'Operations'], cells, 'No people match.')}
${next}`;
    return web.send(reply, 200, 'People', content);
  }
}
