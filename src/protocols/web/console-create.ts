/** `/admin/people/create`: an administrator creates an account (user_register_form as administrator, through the core). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerAccount } from '../../core/accounts/registration.js';
import { mayAssignRoles } from '../../core/accounts/role-change.js';
import { ANONYMOUS_RID, AUTHENTICATED_RID } from '../../core/model.js';
import { checkbox, form, input, select } from './html.js';
import { fieldError, type FormProblem, formProblem } from './form-errors-view.js';
import { type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

export function createAccountPage(app: FastifyInstance, deps: WebDeps, route: Route): void {
  const createForm = async (web: WebRequest, reply: FastifyReply, problem?: FormProblem) => {
    const parts = [
      input({ name: 'name', label: 'Username', value: web.field('name'), required: true, autocomplete: 'off', error: fieldError(problem, 'name') }),
      input({ name: 'mail', label: 'E-mail address', type: 'email', value: web.field('mail'), required: true, autocomplete: 'off', error: fieldError(problem, 'mail') }),
      input({ name: 'pass1', label: 'Password', type: 'password', required: true, autocomplete: 'new-password', error: fieldError(problem, 'pass') }),
      input({ name: 'pass2', label: 'Confirm password', type: 'password', required: true, autocomplete: 'new-password' }),
      select('status', 'Status', [['1', 'Active'], ['0', 'Blocked']], web.field('status') || '1', fieldError(problem, 'status')),
    ];
    if (mayAssignRoles(web.caller)) {
      const checked = web.form.getAll('roles');
      const boxes = (await deps.core.store.roles.all()).filter((r) => r.rid !== ANONYMOUS_RID && r.rid !== AUTHENTICATED_RID)
        .map((r) => checkbox('roles', r.name, String(r.rid), checked.includes(String(r.rid)))).join('');
      parts.push(`<fieldset><legend>Roles</legend>${boxes}</fieldset>`);
    }
    parts.push(checkbox('notify', 'Notify user of new account', '1', web.field('notify') === '1', 'edit-notify'));
    return web.send(reply, 200, 'Add user', form({ action: web.path('/admin/people/create'), token: web.token('user_register_admin'), id: 'user-register-admin', submit: 'Create new account', body: parts.join('\n') }), problem?.messages);
  };

  app.get('/admin/people/create', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    return web.admin ? createForm(web, reply) : web.denied(reply);
  });

  app.post('/admin/people/create', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    if (!web.tokenValid('user_register_admin')) return web.refused(reply);
    const roles = Object.fromEntries(web.form.getAll('roles').map((rid) => [rid, rid]));
    const values = {
      name: web.field('name'), mail: web.field('mail'), pass: { pass1: web.field('pass1'), pass2: web.field('pass2') },
      status: web.field('status') || '1', notify: web.field('notify') === '1' ? 1 : 0, ...(Object.keys(roles).length > 0 ? { roles } : {}),
    };
    try {
      const result = await registerAccount(deps.core, web.caller, values);
      return web.redirect(reply, '/admin/people', result.messages);
    } catch (err) {
      return createForm(web, reply, formProblem(err));
    }
  });
}
