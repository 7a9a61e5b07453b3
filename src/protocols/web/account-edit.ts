/**
 * `/user/{uid}/edit`: the account form, for the account's owner (e-mail, password with the current one,
 * time zone) and for administrators (also name, status and roles). Saved through the core's profile update
 * (user_profile_form's rules); a new password, or blocking, ends the account's other sessions as user_save does.
 */
import { fieldInput, fieldWidgets, storedAsForm } from './field-widgets.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { mayUpdateAccount, updateAccount } from '../../core/accounts/account-update.js';
import { mayAssignRoles, setRolesOf } from '../../core/accounts/role-change.js';
import { isOfferedTimezone } from '../../core/accounts/timezone-choice.js';
import type { Account } from '../../core/model.js';
import { ANONYMOUS_RID, AUTHENTICATED_RID } from '../../core/model.js';
import { endOtherSessions } from '../../core/sessions/other-sessions.js';
import { checkbox, esc, form, input, select } from './html.js';
import { pictureFieldset } from './picture-widget.js';
import { pictureUpload } from '../../core/fields/picture-upload.js';
import { fieldError, type FormProblem, formProblem } from './form-errors-view.js';
import { type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

let zones: string[] | undefined;
/** The zones the form offers (system_time_zones), computed once. */
function timezones(): string[] {
  zones ??= Intl.supportedValuesOf('timeZone').filter(isOfferedTimezone);
  return zones.includes('UTC') ? zones : [...zones, 'UTC'];
}

/** The account a `/user/{uid}/…` page is about, or null (no such account, or the anonymous row). */
export async function pageAccount(web: WebRequest, uidParam: string): Promise<Account | null> {
  if (!/^\d{1,10}$/.test(uidParam) || Number(uidParam) === 0) return null;
  return (await web.core.store.accounts.byUid(Number(uidParam))) ?? null;
}

export function notFound(web: WebRequest, reply: FastifyReply): Promise<FastifyReply> {
  return web.send(reply, 404, 'Page not found', '<p>The requested page could not be found.</p>');
}

export function accountEdit(app: FastifyInstance, deps: WebDeps, route: Route): void {
  const editForm = async (web: WebRequest, reply: FastifyReply, target: Account, problem?: FormProblem) => {
    const own = web.uid === target.uid;
    const submitted = problem !== undefined;
    const value = (name: string, stored: string) => (submitted ? web.field(name) : stored);
    const parts: string[] = [];
    if (web.admin) parts.push(input({ name: 'name', label: 'Username', value: value('name', target.name), required: true, autocomplete: own ? 'username' : 'off', error: fieldError(problem, 'name') }));
    parts.push(input({ name: 'mail', label: 'E-mail address', type: 'email', value: value('mail', target.mail), required: true, autocomplete: own ? 'email' : 'off', error: fieldError(problem, 'mail') }));
    if (own) {
      parts.push(input({ name: 'current_pass', label: 'Current password', type: 'password', autocomplete: 'current-password', error: fieldError(problem, 'current_pass'),
        description: 'Enter your current password to change the E-mail address or Password.' }));
    }
    parts.push(input({ name: 'pass1', label: 'New password', type: 'password', autocomplete: 'new-password', error: fieldError(problem, 'pass'),
      description: own ? 'Changing the password logs you out everywhere else.' : 'Changing the password ends all of this account\'s sessions.' }));
    parts.push(input({ name: 'pass2', label: 'Confirm new password', type: 'password', autocomplete: 'new-password' }));
    if (web.admin && !own) parts.push(select('status', 'Status', [['0', 'Blocked'], ['1', 'Active']], value('status', String(target.status)), fieldError(problem, 'status')));
    if (mayAssignRoles(web.caller)) {
      const current = submitted ? web.form.getAll('roles') : (await web.core.store.roles.rolesOf(target.uid)).map(String);
      const boxes = (await web.core.store.roles.all()).filter((r) => r.rid !== ANONYMOUS_RID && r.rid !== AUTHENTICATED_RID)
        .map((r) => checkbox('roles', r.name, String(r.rid), current.includes(String(r.rid)))).join('');
      parts.push(`<fieldset><legend>Roles</legend><input type="hidden" name="roles_shown" value="1">${boxes}</fieldset>`);
    }
    // The site's user fields (Drupal's edit form shows them all), filled from the stored items.
    const definitions = await web.core.store.fields.definitions();
    if (definitions.length > 0) {
      const shown = submitted ? web.nestedForm : storedAsForm(definitions, await web.core.store.fields.valuesOf(target.uid));
      parts.push(fieldWidgets(definitions, shown, problem));
    }
    if (web.settings.flag('user_pictures')) parts.push(await pictureFieldset(web, target, problem));
    if (web.settings.flag('configurable_timezones')) {
      const stored = target.timezone ?? (own ? web.settings.string('date_default_timezone', 'UTC') : '');
      const options: Array<[string, string]> = [...(own ? [] : [['', '- None selected -'] as [string, string]]), ...timezones().map((z): [string, string] => [z, z])];
      parts.push(select('timezone', 'Time zone', options, value('timezone', stored), fieldError(problem, 'timezone')));
    }
    const title = own ? 'My account' : `Edit ${target.name}`;
    const multipart = web.settings.flag('user_pictures') && web.core.publicFiles !== undefined;
    const body = form({ action: web.path(`/user/${target.uid}/edit`), token: web.token(`user_profile_form:${target.uid}`), id: 'user-profile-form', submit: 'Save', body: parts.join('\n'), multipart });
    return web.send(reply, 200, title, `<p>Account <strong>${esc(target.name)}</strong> (uid ${target.uid}), ${target.status === 1 ? 'active' : 'blocked'}.</p>\n${body}`, problem?.messages);
  };

  app.get('/user/:uid/edit', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    const target = await pageAccount(web, (request.params as { uid: string }).uid);
    if (!target) return web.uid > 0 ? notFound(web, reply) : web.denied(reply);
    if (!mayUpdateAccount(web.caller, target.uid)) return web.denied(reply);
    return editForm(web, reply, target);
  });

  app.post('/user/:uid/edit', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    const target = await pageAccount(web, (request.params as { uid: string }).uid);
    if (!target || !mayUpdateAccount(web.caller, target.uid)) return web.denied(reply);
    if (!web.tokenValid(`user_profile_form:${target.uid}`)) return web.refused(reply);
    const own = web.uid === target.uid;
    const values: Record<string, unknown> = { ...fieldInput(await deps.core.store.fields.definitions(), web.nestedForm, { shown: true }), mail: web.field('mail') };
    if (web.admin && web.form.has('name')) values.name = web.field('name');
    if (web.field('pass1') !== '' || web.field('pass2') !== '') values.pass = { pass1: web.field('pass1'), pass2: web.field('pass2') };
    if (own) values.current_pass = web.field('current_pass');
    if (web.form.has('timezone')) values.timezone = web.field('timezone');
    const file = web.upload('picture_upload');
    if (file) values.picture_upload = pictureUpload(file);
    if (web.form.has('picture_delete')) values.picture_delete = web.field('picture_delete');
    if (web.admin && !own && web.form.has('status')) values.status = web.field('status');
    try {
      const result = await updateAccount(deps.core, web.caller, target, values, { passResetVerified: false });
      if (mayAssignRoles(web.caller) && web.form.has('roles_shown')) {
        await setRolesOf(deps.core, web.caller, target.uid, web.form.getAll('roles').map(Number));
      }
      // The form's password change ends the account's other sessions (this browser's stays); blocking ends them all in the core's user_save.
      if (result.passwordSaved) await endOtherSessions(deps.core.store, deps.queries, target.uid, own ? web.session.record?.sid ?? null : null);
      return web.redirect(reply, `/user/${target.uid}/edit`, [result.message]);
    } catch (err) {
      return editForm(web, reply, target, formProblem(err));
    }
  });
}
