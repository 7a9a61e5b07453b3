/**
 * The one catalogue of errors the domain (and the protocol layers) raise.
 *
 * Each error has a stable code; messages keep Drupal's markup (`<em class="placeholder">…</em>`) because
 * the Services protocol puts them verbatim in response bodies. Each protocol maps codes to its own status
 * lines in one place (services3/error-status.ts, drupal8/error-status.ts).
 */
export const ERROR_CODES = {
  // authentication and sessions
  wrong_credentials: 'Wrong username or password.',
  account_blocked: 'The username %name has not been activated or is blocked.',
  flood_user: 'Account is temporarily blocked.',
  flood_ip: 'This IP address is temporarily blocked.',
  already_logged_in: 'Already logged in as @name.',
  not_logged_in: 'User is not logged in.',
  csrf_failed: 'CSRF validation failed',
  // access
  access_denied: 'Access denied for user @name',
  access_denied_plain: 'Access denied.',
  admin_cannot_be_deleted: 'The admin user cannot be deleted.',
  admin_cannot_be_canceled: 'The admin user cannot be canceled.',
  // lookups
  user_not_found: 'There is no user with ID @id.',
  // validation
  form_errors: '!messages',
  username_change_denied: 'You are not allowed to change your username.',
  invalid_query: 'Invalid query provided, double check that the fields and parameters you defined are correct and exist.',
  not_recognized: 'Sorry, %name is not recognized as a user name or an e-mail address.',
  // one-time links
  reset_logged_in_same: 'You are logged in as %name. Please edit your profile to update your password.',
  reset_logged_in_other: 'Another user (%current) is already logged into the site on this computer, but you tried to use a one-time link for user %target. Please logout and try using the link again.',
  reset_link_invalid: 'The one-time login link you clicked is invalid.',
  reset_link_expired: 'You have tried to use a one-time login link that has expired. Please request a new one.',
  reset_link_used: 'You have tried to use a one-time login link that has either been used or is no longer valid. Please request a new one.',
  // protocol level (request shape)
  missing_argument: 'Missing required argument @name',
  invalid_json: 'Invalid JSON.',
  invalid_xml: '!message',
  unsupported_content_type: 'Unsupported request content type @type',
  unknown_format: 'Unknown or unsupported response format.',
  resource_not_found: 'Could not find resource @name.',
  controller_not_found: 'Could not find the controller.',
  payload_too_large: 'Request body is too large.',
  text_beyond_legacy_charset: 'The value of %field has characters the legacy site cannot store (beyond U+FFFF, such as emoji).',
  internal: 'An error occurred.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** Drupal form errors, element → message (with markup); an empty message flags the element only. */
  formErrors?: Record<string, string>;
  /** A body to send instead of the message (Services' `data` argument of services_error). */
  data?: unknown;
  /** Drupal messages the failure leaves in the visitor's session (they make an anonymous session exist). */
  messages?: Array<{ type: 'status' | 'error' | 'warning'; text: string }>;
}

/**
 * A domain or protocol error with a catalogue code. `message` keeps Drupal markup. These are answers (403,
 * 404, 406 …), not bugs: no stack trace is captured for them, which would cost more than the rest of the request.
 */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try { super(message ?? ERROR_CODES[code]); } finally { Error.stackTraceLimit = limit; }
    this.name = 'GatehouseError';
    this.code = code;
    this.details = details;
  }
}

/** Drupal's `%placeholder` rendering: HTML-escaped value wrapped in `<em class="placeholder">`. */
export function placeholder(value: string): string {
  return `<em class="placeholder">${escapeHtml(value)}</em>`;
}

/** Drupal's check_plain(). */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#039;');
}

/**
 * Builds an error from the catalogue text, filling Drupal-style slots: `%x` becomes a placeholder
 * (`<em class="placeholder">`, escaped), `@x` is HTML-escaped, `!x` is inserted verbatim.
 */
export function domainError(code: ErrorCode, args: Record<string, string> = {}, details: ErrorDetails = {}): GatehouseError {
  let message: string = ERROR_CODES[code];
  for (const [key, value] of Object.entries(args)) {
    message = message
      .split(`%${key}`).join(placeholder(value))
      .split(`@${key}`).join(escapeHtml(value))
      .split(`!${key}`).join(value);
  }
  return new GatehouseError(code, message, details);
}
