/**
 * Account mail texts: Gatehouse's own defaults, overridable per kind by site settings under Drupal 7's
 * variable names `user_mail_<kind>_subject` and `user_mail_<kind>_body` (an import of a Drupal 7 site
 * brings that site's texts this way). As in Drupal's _user_mail_text(), a setting wins only when it is
 * set and not empty; the texts use Drupal's token syntax (src/mail/tokens.ts).
 *
 * The default wording is ours. Each text carries what the recipient needs: who the mail is for, which
 * site, the working link, and — only when the caller knows it (registration) — the password.
 */
import type { AccountMailKind } from '../core/mail/account-mailer.js';
import type { SiteSettings } from '../core/settings/site-settings.js';

export type MailPart = 'subject' | 'body';

export interface MailTemplate { subject: string; body: string }

export const ACCOUNT_MAIL_KINDS: readonly AccountMailKind[] = [
  'register_admin_created', 'register_no_approval_required', 'register_pending_approval',
  'register_pending_approval_admin', 'password_reset', 'status_activated', 'status_blocked',
  'cancel_confirm', 'status_canceled',
];

const SIGNATURE = '-- \nThe [site:name] team';

const LOGIN_LINK = `To sign in, open this link in your browser (or copy and paste it):

[user:one-time-login-url]

The link works once. It signs you in and takes you to a page where you can choose a password.`;

const LATER_LOGIN = `Afterwards you can sign in at [site:login-url] with the user name "[user:name]".`;

const LATER_LOGIN_WITH_PASSWORD = `Afterwards you can sign in at [site:login-url] with these details:

User name: [user:name]
Password: [user:password]`;

/** Our defaults. `withPassword` variants are used when the plain password is known at composing time. */
const DEFAULTS: Record<AccountMailKind, MailTemplate & { bodyWithPassword?: string }> = {
  register_admin_created: {
    subject: 'Your new account at [site:name]',
    body: `Hello [user:name],

an administrator of [site:name] ([site:url]) has opened an account for you.

${LOGIN_LINK}

${LATER_LOGIN}

${SIGNATURE}`,
    bodyWithPassword: `Hello [user:name],

an administrator of [site:name] ([site:url]) has opened an account for you.

${LOGIN_LINK}

${LATER_LOGIN_WITH_PASSWORD}

${SIGNATURE}`,
  },
  register_no_approval_required: {
    subject: 'Welcome to [site:name], [user:name]',
    body: `Hello [user:name],

thank you for signing up at [site:name] ([site:url]). Your account is ready.

${LOGIN_LINK}

${LATER_LOGIN}

${SIGNATURE}`,
    bodyWithPassword: `Hello [user:name],

thank you for signing up at [site:name] ([site:url]). Your account is ready.

${LOGIN_LINK}

${LATER_LOGIN_WITH_PASSWORD}

${SIGNATURE}`,
  },
  register_pending_approval: {
    subject: 'Your account request at [site:name] is awaiting approval',
    body: `Hello [user:name],

thank you for signing up at [site:name] ([site:url]). An administrator has to approve your account before you can use it. When that happens we will send you another message explaining how to sign in and choose your password.

${SIGNATURE}`,
  },
  register_pending_approval_admin: {
    subject: 'Account request from [user:name] at [site:name] awaits approval',
    body: `[user:name] ([user:mail]) has asked for an account at [site:name].

Review and approve or block the account here:

[user:edit-url]`,
  },
  password_reset: {
    subject: 'Sign-in link for [user:name] at [site:name]',
    body: `Hello [user:name],

someone (hopefully you) asked to reset the password of your account at [site:name].

To sign in, open this link in your browser (or copy and paste it):

[user:one-time-login-url]

The link works once and takes you to a page where you can choose a new password. It expires after one day. If you did not ask for it, ignore this message: your password stays as it is.

${SIGNATURE}`,
  },
  status_activated: {
    subject: 'Your account at [site:name] has been approved',
    body: `Hello [user:name],

your account at [site:name] is now active.

${LOGIN_LINK}

${LATER_LOGIN}

${SIGNATURE}`,
  },
  status_blocked: {
    subject: 'Your account at [site:name] has been blocked',
    body: `Hello [user:name],

your account at [site:name] ([site:url-brief]) has been blocked. You can no longer sign in.

${SIGNATURE}`,
  },
  cancel_confirm: {
    subject: 'Please confirm closing the account of [user:name] at [site:name]',
    body: `Hello [user:name],

someone asked to close your account at [site:name] ([site:url-brief]).

To confirm, open this link in your browser (or copy and paste it):

[user:cancel-url]

Closing an account cannot be undone. The link expires after one day; if you do not use it, nothing happens.

${SIGNATURE}`,
  },
  status_canceled: {
    subject: 'Your account at [site:name] has been closed',
    body: `Hello [user:name],

your account at [site:name] ([site:url-brief]) has been closed.

${SIGNATURE}`,
  },
};

/** Drupal's variable name for one part of one kind's text. */
export function mailVariableName(kind: AccountMailKind, part: MailPart): string {
  return `user_mail_${kind}_${part}`;
}

/** Gatehouse's default text for one part of one kind. */
export function defaultMailText(kind: AccountMailKind, part: MailPart, opts: { withPassword?: boolean } = {}): string {
  const t = DEFAULTS[kind];
  if (part === 'subject') return t.subject;
  return opts.withPassword && t.bodyWithPassword ? t.bodyWithPassword : t.body;
}

/** The text to use: the site's `user_mail_<kind>_<part>` when set and not empty, else our default. */
export function mailText(settings: SiteSettings, kind: AccountMailKind, part: MailPart, opts: { withPassword?: boolean } = {}): string {
  const name = mailVariableName(kind, part);
  if (settings.flag(name)) return settings.string(name);
  return defaultMailText(kind, part, opts);
}
