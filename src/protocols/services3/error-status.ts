import { type ErrorCode, GatehouseError } from '../../core/errors.js';

/** HTTP status per catalogue code, for the Services protocol. The one place this mapping lives. */
const STATUS: Record<ErrorCode, number> = {
  wrong_credentials: 401, account_blocked: 403, flood_user: 406, flood_ip: 406, already_logged_in: 406, not_logged_in: 406,
  csrf_failed: 401, access_denied: 403, access_denied_plain: 403, admin_cannot_be_deleted: 403, admin_cannot_be_canceled: 403,
  user_not_found: 404, form_errors: 406, username_change_denied: 406, invalid_query: 406, not_recognized: 406,
  reset_logged_in_same: 403, reset_logged_in_other: 405, reset_link_invalid: 406, reset_link_expired: 406, reset_link_used: 406,
  missing_argument: 401, invalid_json: 400, invalid_xml: 406, unsupported_content_type: 406, unknown_format: 406,
  resource_not_found: 404, controller_not_found: 404, payload_too_large: 413, text_beyond_legacy_charset: 406, internal: 500,
};

/**
 * Errors Services raises before its try/catch, and any exception that is not a ServicesException (PHP's
 * outer catch in rest_server_server only sets the status line): status line only, empty text/html body.
 */
const BODYLESS = new Set<ErrorCode>(['unknown_format', 'resource_not_found', 'controller_not_found', 'internal']);

/** Services' status words (the text before " : message"); other codes have none. */
const WORDS: Record<number, string> = { 204: 'No Content', 304: 'Not Modified', 401: 'Unauthorized', 404: 'Not found', 406: 'Not Acceptable', 500: 'Internal Server Error' };

export interface ServicesErrorResponse {
  status: number;
  reason: string;
  /** What the formatter renders, or null for an empty body. */
  body: unknown;
  bodyless: boolean;
}

/** Drupal's strip_tags for the status line; CR/LF removed. Entities stay as they are. */
export function statusLineText(message: string): string {
  return message.replace(/<[^>]*>/g, '').replace(/[\r\n]/g, '');
}

export function reasonPhrase(status: number, message: string): string {
  const words = WORDS[status];
  return `${words ? `${words} ` : ''}: ${statusLineText(message)}`;
}

export function toServicesError(err: unknown): ServicesErrorResponse {
  // An internal error's own text (a parser's detail, say) stays in the log, never on the wire.
  const error = err instanceof GatehouseError && err.code !== 'internal' ? err : new GatehouseError('internal');
  const status = STATUS[error.code];
  const bodyless = BODYLESS.has(error.code);
  const body = bodyless ? null
    : error.details.formErrors ? { form_errors: error.details.formErrors }
      : error.details.data !== undefined ? error.details.data : error.message;
  return { status, reason: reasonPhrase(status, error.message), body, bodyless };
}
