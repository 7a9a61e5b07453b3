/**
 * The reset page's HTML: plain documents, no script, no framework. Messages from the domain catalogue
 * already carry Drupal's markup with escaped values; everything else is escaped here.
 */
import { escapeHtml } from '../../core/errors.js';

/** Headers of every reset page: never cached, never framed, and the link (a secret) never sent as Referer. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=UTF-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

export function page(siteName: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | ${escapeHtml(siteName)}</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
label{display:block;margin-top:1rem}input[type=password]{width:100%;padding:.4rem}button{margin-top:1.2rem;padding:.5rem 1rem}
.error{color:#a00}.status{color:#060}</style></head>
<body><main id="main"><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

export interface ResetFormView {
  siteName: string;
  accountName: string;
  /** Unix seconds the link stops working, or null for a first login (no expiry, Drupal's rule). */
  expires: number | null;
  formToken: string;
  /** A problem with the last submission (already HTML-safe). */
  error?: string;
}

/** The form: who the link is for, until when, and the two password fields. Posts to its own URL. */
export function resetFormPage(v: ResetFormView): string {
  const until = v.expires === null ? 'It can be used only once.' : `It can be used only once, until ${escapeHtml(new Date(v.expires * 1000).toUTCString())}.`;
  return page(v.siteName, 'Reset password', `<p>This is a one-time login for <em class="placeholder">${escapeHtml(v.accountName)}</em>. ${until}</p>
${v.error ? `<p class="error" role="alert" id="error">${v.error}</p>\n` : ''}<form method="post" id="reset-form">
<input type="hidden" name="form_token" value="${escapeHtml(v.formToken)}">
<input type="text" name="name" value="${escapeHtml(v.accountName)}" autocomplete="username" aria-label="Username" hidden>
<label for="pass1">New password</label><input type="password" id="pass1" name="pass1" autocomplete="new-password" required>
<label for="pass2">Confirm new password</label><input type="password" id="pass2" name="pass2" autocomplete="new-password" required>
<button type="submit" id="submit">Set password and log in</button>
</form>`);
}

/** A dead end: the link (or the form) cannot be used; `message` is HTML-safe. */
export function resetProblemPage(siteName: string, message: string, retryHref?: string): string {
  const retry = retryHref ? `\n<p><a href="${escapeHtml(retryHref)}" id="retry">Open the link again</a> to get a fresh form.</p>` : '';
  return page(siteName, 'Reset password', `<p class="error" role="alert" id="error">${message}</p>${retry}`);
}

/** Done: the new password is saved and this browser is logged in. */
export function resetDonePage(siteName: string, accountName: string): string {
  return page(siteName, 'Password changed', `<p class="status" role="status" id="done">Your password has been changed. You are now logged in as <em class="placeholder">${escapeHtml(accountName)}</em>.</p>`);
}
