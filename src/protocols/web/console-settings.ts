/**
 * `/admin/config/people/accounts` (Drupal's account settings page): who may register, whether visitors
 * verify their e-mail address, and the texts of the account mails — the site settings `system/set_variable`
 * changes, as a form, saved as Drupal's form saves them (the select's string, the checkbox's 1 or 0). A value
 * equal to what is in effect is not written; a mail text set back to the default is deleted (so a later
 * change of the default applies again). Every change is an audit event.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountMailKind } from '../../core/mail/account-mailer.js';
import { ACCOUNT_MAIL_KINDS, defaultMailText, type MailPart, mailText, mailVariableName } from '../../mail/templates.js';
import { checkbox, esc, fieldId, form, input, select } from './html.js';
import { type WebDeps, WebRequest } from './web-request.js';

type Route = { constraints: Record<string, string> };

export const ACCOUNT_SETTINGS_PATH = '/admin/config/people/accounts';

const REGISTER_MODES: Array<[string, string]> = [['0', 'Administrators only'], ['1', 'Visitors'], ['2', 'Visitors, but administrator approval is required']];

/** The mails' titles, as on Drupal's page. */
const MAIL_TITLES: Record<AccountMailKind, string> = {
  register_admin_created: 'Welcome (new user created by administrator)', register_no_approval_required: 'Welcome (no approval required)',
  register_pending_approval: 'Welcome (awaiting approval)', register_pending_approval_admin: 'Admin (user awaiting approval)',
  password_reset: 'Password recovery', status_activated: 'Account activation', status_blocked: 'Account blocked',
  cancel_confirm: 'Account cancellation confirmation', status_canceled: 'Account canceled',
};

/** The longest mail text accepted (Drupal's textarea has none; this bounds the variables table). */
const MAX_TEXT = 20_000;

function textarea(name: string, label: string, value: string): string {
  const id = fieldId(name);
  return `<div class="form-item"><label for="${id}">${esc(label)}</label><textarea id="${id}" name="${esc(name)}" rows="8" cols="80" maxlength="${MAX_TEXT}">${esc(value)}</textarea></div>`;
}

export function accountSettings(app: FastifyInstance, deps: WebDeps, route: Route): void {
  app.get(ACCOUNT_SETTINGS_PATH, route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    const s = web.settings;
    const mails = ACCOUNT_MAIL_KINDS.map((kind) => `<fieldset><legend>${esc(MAIL_TITLES[kind])}</legend>
${input({ name: mailVariableName(kind, 'subject'), label: 'Subject', value: mailText(s, kind, 'subject') })}
${textarea(mailVariableName(kind, 'body'), 'Body', mailText(s, kind, 'body'))}</fieldset>`).join('\n');
    const body = `<fieldset><legend>Registration and cancellation</legend>
${select('user_register', 'Who can register accounts?', REGISTER_MODES, String(s.registerMode))}
${checkbox('user_email_verification', 'Require e-mail verification when a visitor creates an account', '1', s.emailVerification, 'edit-user-email-verification')}
</fieldset>
<h2>E-mails</h2><p>Tokens such as <code>[user:name]</code>, <code>[site:name]</code> and <code>[user:one-time-login-url]</code> are replaced when a mail is sent.</p>
${mails}`;
    return web.send(reply, 200, 'Account settings', form({ action: web.path(ACCOUNT_SETTINGS_PATH), token: web.token('user_admin_settings'), id: 'user-admin-settings', submit: 'Save configuration', body }));
  });

  app.post(ACCOUNT_SETTINGS_PATH, route, async (request, reply) => {
    const web = await WebRequest.open(deps, request);
    if (!web.admin) return web.denied(reply);
    if (!web.tokenValid('user_admin_settings')) return web.refused(reply);
    const { variables } = deps.core.store;
    const s = web.settings;
    const changed: string[] = [];
    const mode = web.field('user_register');
    if (/^[012]$/.test(mode) && Number(mode) !== s.registerMode) { await variables.set('user_register', mode); changed.push('user_register'); }
    const verify = web.field('user_email_verification') === '1';
    if (verify !== s.emailVerification) { await variables.set('user_email_verification', verify ? 1 : 0); changed.push('user_email_verification'); }
    for (const kind of ACCOUNT_MAIL_KINDS) {
      for (const part of ['subject', 'body'] as MailPart[]) {
        const name = mailVariableName(kind, part);
        if (!web.form.has(name)) continue;
        const value = web.field(name).replace(/\r\n/g, '\n').slice(0, MAX_TEXT);
        if (value === mailText(s, kind, part)) continue;
        // The text in effect with no variable: the configured site default, else Gatehouse's own.
        const configured = deps.config.siteDefaults[name];
        if (value === (typeof configured === 'string' ? configured : defaultMailText(kind, part))) await variables.delete(name);
        else await variables.set(name, value);
        changed.push(name);
      }
    }
    if (changed.length > 0) await web.audit('settings_change', null, `changed: ${changed.join(', ')}`);
    return web.redirect(reply, ACCOUNT_SETTINGS_PATH, [{ type: 'status', text: changed.length > 0 ? 'The configuration options have been saved.' : 'Nothing was changed.' }]);
  });
}
