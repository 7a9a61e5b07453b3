/**
 * The visitor's pages: log in (`/user/login`), log out, create an account (`/user/register`) and request a
 * new password (`/user/password`). Every rule is the core's: flood control and its messages, the site's
 * registration mode and e-mail verification, the reset mail and its limits.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerAccount, mayCreateAccount } from '../../core/accounts/registration.js';
import { requestNewPassword } from '../../core/accounts/password-recovery.js';
import { authenticate, DRUPAL7_FORM_LOGIN } from '../../core/auth/login.js';
import { form, input } from './html.js';
import { fieldInput, fieldWidgets } from './field-widgets.js';
import { fieldError, type FormProblem, formProblem } from './form-errors-view.js';
import { USER_AGENT_KEY, type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

/** LoginToboggan's "log in with e-mail address" (imported as its variable), or Gatehouse's own switch. */
export function mailLoginOn(web: WebRequest): boolean {
  return web.settings.flag('logintoboggan_login_with_email') || web.settings.flag('gatehouse_login_with_email');
}

export function accountPages(app: FastifyInstance, deps: WebDeps, route: Route): void {
  const loginForm = (web: WebRequest, reply: FastifyReply, status: number, name = '', problem?: FormProblem) => {
    const byMail = mailLoginOn(web);
    const body = [
      input({ name: 'name', label: byMail ? 'Username or e-mail address' : 'Username', value: name, required: true, autocomplete: 'username', error: fieldError(problem, 'name') }),
      input({ name: 'pass', label: 'Password', type: 'password', required: true, autocomplete: 'current-password', error: fieldError(problem, 'pass') }),
    ].join('\n');
    const links = `<p><a href="${web.path('/user/password')}">Request new password</a>${web.settings.registerMode !== 0 ? ` · <a href="${web.path('/user/register')}">Create new account</a>` : ''}</p>`;
    return web.send(reply, status, 'Log in', form({ action: web.path('/user/login'), token: web.token('user_login'), id: 'user-login', submit: 'Log in', body }) + links, problem?.messages);
  };

  app.get('/user/login', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (web.uid > 0) return web.redirect(reply, `/user/${web.uid}/edit`);
    return loginForm(web, reply, 200);
  });

  app.post('/user/login', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.tokenValid('user_login')) return web.refused(reply);
    if (web.uid > 0) return web.redirect(reply, `/user/${web.uid}/edit`);
    const name = web.field('name');
    try {
      const account = await authenticate(deps.core, web.caller, name, web.field('pass'), DRUPAL7_FORM_LOGIN, { mailLogin: mailLoginOn(web) });
      await web.session.logIn(account, web.userAgent ? { [USER_AGENT_KEY]: web.userAgent } : {});
      web.refreshCaller();
      return web.redirect(reply, `/user/${account.uid}/edit`);
    } catch (err) {
      return loginForm(web, reply, 200, name, { ...formProblem(err), byField: { name: '' } });
    }
  });

  app.get('/user/logout', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (web.uid === 0) return web.redirect(reply, '/user/login');
    return web.send(reply, 200, 'Log out', form({ action: web.path('/user/logout'), token: web.token('logout'), id: 'user-logout', submit: 'Log out', body: '<p>Log out of this browser?</p>' }));
  });

  app.post('/user/logout', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (web.uid === 0) return web.redirect(reply, '/user/login');
    if (!web.tokenValid('logout')) return web.refused(reply);
    await web.session.logOut();
    return web.redirect(reply, '/user/login');
  });

  const registerFields = async () => (await deps.core.store.fields.definitions()).filter((f) => f.onRegister);
  const registerForm = async (web: WebRequest, reply: FastifyReply, status: number, problem?: FormProblem) => {
    const passwordField = !web.settings.emailVerification;
    const fields = fieldWidgets(await registerFields(), web.nestedForm, problem);
    const body = [
      input({ name: 'name', label: 'Username', value: web.field('name'), required: true, autocomplete: 'username', error: fieldError(problem, 'name'),
        description: 'Spaces are allowed; punctuation is not allowed except for periods, hyphens, apostrophes, and underscores.' }),
      input({ name: 'mail', label: 'E-mail address', type: 'email', value: web.field('mail'), required: true, autocomplete: 'email', error: fieldError(problem, 'mail'),
        description: 'A valid e-mail address. All e-mails from the system will be sent to this address.' }),
      passwordField ? input({ name: 'pass1', label: 'Password', type: 'password', required: true, autocomplete: 'new-password', error: fieldError(problem, 'pass') }) : '',
      passwordField ? input({ name: 'pass2', label: 'Confirm password', type: 'password', required: true, autocomplete: 'new-password' }) : '',
      fields,
    ].filter(Boolean).join('\n');
    const intro = web.settings.registerMode === 2 ? '<p>New accounts are approved by the site administrator.</p>' : '';
    return web.send(reply, status, 'Create new account', intro + form({ action: web.path('/user/register'), token: web.token('user_register'), id: 'user-register', submit: 'Create new account', body }), problem?.messages);
  };

  app.get('/user/register', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!mayCreateAccount(web.caller) || web.uid > 0) return web.denied(reply);
    return registerForm(web, reply, 200);
  });

  app.post('/user/register', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.tokenValid('user_register')) return web.refused(reply);
    if (!mayCreateAccount(web.caller) || web.uid > 0) return web.denied(reply);
    const values: Record<string, unknown> = { ...fieldInput(await registerFields(), web.nestedForm), name: web.field('name'), mail: web.field('mail') };
    if (!web.settings.emailVerification) values.pass = { pass1: web.field('pass1'), pass2: web.field('pass2') };
    try {
      const result = await registerAccount(deps.core, web.caller, values);
      if (result.logIn) {
        await web.session.logIn(result.account, web.userAgent ? { [USER_AGENT_KEY]: web.userAgent } : {});
        return web.redirect(reply, `/user/${result.account.uid}/edit`, result.messages);
      }
      return web.redirect(reply, '/user/login', result.messages);
    } catch (err) {
      return registerForm(web, reply, 200, formProblem(err));
    }
  });

  const passwordForm = (web: WebRequest, reply: FastifyReply, status: number, problem?: FormProblem) => {
    const body = input({ name: 'name', label: 'Username or e-mail address', value: web.field('name'), required: true, autocomplete: 'username', error: fieldError(problem, 'name') });
    return web.send(reply, status, 'Request new password', form({ action: web.path('/user/password'), token: web.token('user_pass'), id: 'user-pass', submit: 'E-mail new password', body }), problem?.messages);
  };

  app.get('/user/password', route, async (request, reply) => passwordForm(await WebRequest.open(deps, request), reply, 200));

  app.post('/user/password', route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.tokenValid('user_pass')) return web.refused(reply);
    try {
      await requestNewPassword(deps.core, web.caller, web.field('name'));
    } catch (err) {
      return passwordForm(web, reply, 200, { ...formProblem(err), byField: { name: '' } });
    }
    return web.redirect(reply, web.uid > 0 ? `/user/${web.uid}/edit` : '/user/login', [{ type: 'status', text: 'Further instructions have been sent to your e-mail address.' }]);
  });
}
