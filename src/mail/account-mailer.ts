/**
 * The AccountMailer the core composes account mails with ([D7] user.module _user_mail_notify, user_mail,
 * _user_mail_text; includes/mail.inc drupal_mail; system.mail.inc DefaultMailSystem::format).
 *
 * - mail id `user_<kind>`; sender = the site mail address; recipient = the account's mail, except
 *   `register_pending_approval_admin`, which goes to the site mail address;
 * - subject and body: the site's `user_mail_<kind>_*` texts or our defaults, tokens replaced (one-time
 *   links issued at `ctx.now`), the body then formatted like Drupal's plain-text mail (77-column wrap);
 * - header `From: <site name> <site mail>`, as Drupal 7 sends it.
 *
 * Composing is pure: nothing is sent here. The core enqueues the result in the outbox, inside the
 * transaction of the account change; the outbox worker delivers it.
 */
import type { AccountMailContext, AccountMailKind, AccountMailer } from '../core/mail/account-mailer.js';
import type { Account, OutgoingMail } from '../core/model.js';
import { mailText } from './templates.js';
import { replaceTokens, type TokenData } from './tokens.js';
import { formatMailBody } from './wrap.js';

export function createAccountMailer(): AccountMailer {
  return {
    compose(kind: AccountMailKind, account: Account, ctx: AccountMailContext): OutgoingMail {
      const data: TokenData = {
        account, settings: ctx.settings, keys: ctx.keys, baseUrl: ctx.baseUrl.replace(/\/+$/, ''), now: ctx.now,
        password: ctx.password,
      };
      const withPassword = ctx.password !== undefined && ctx.password !== '';
      const subject = replaceTokens(mailText(ctx.settings, kind, 'subject'), data).replace(/[\r\n]+/g, ' ');
      const body = formatMailBody(replaceTokens(mailText(ctx.settings, kind, 'body', { withPassword }), data), data.baseUrl);
      const siteMail = ctx.settings.siteMail;
      return {
        mailId: `user_${kind}`,
        to: kind === 'register_pending_approval_admin' ? siteMail : account.mail,
        from: siteMail,
        subject,
        body,
        headers: { From: formatFromHeader(ctx.settings.siteName, siteMail) },
      };
    },
  };
}

/** `Display Name <address>`; the name is quoted when it holds RFC 5322 specials (cf. _drupal_mail_format_display_name). */
export function formatFromHeader(name: string, address: string): string {
  const clean = name.replace(/[\r\n]+/g, ' ').trim();
  if (clean === '') return address;
  const display = /[()<>[\]:;@\\,."]/.test(clean) ? `"${clean.replace(/(["\\])/g, '\\$1')}"` : clean;
  return `${display} <${address}>`;
}
