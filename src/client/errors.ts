/**
 * The one error the SDK throws for an unsuccessful answer (any status other than 2xx).
 *
 * Services puts the message in the reason phrase (`HTTP/1.1 401 Unauthorized : CSRF validation failed`) and
 * in the body (`["CSRF validation failed"]` or `{"form_errors":{…}}`). Over HTTP/2, or when a browser hides
 * it, the reason phrase is empty: the body is authoritative, so `message` is built from the body first.
 */
export class GatehouseClientError extends Error {
  override readonly name = 'GatehouseClientError';
  /** HTTP status code, e.g. 406. */
  readonly status: number;
  /** Everything after the code on the status line, e.g. `Not Acceptable : Password field is required.` */
  readonly reasonPhrase: string;
  /** Parsed body: JSON when it parses, else the raw text (`''` when empty). */
  readonly body: unknown;
  /** `form_errors` of a validation failure: element → message (with Drupal markup; may be empty). */
  readonly formErrors: Record<string, string> | undefined;
  readonly method: string;
  readonly url: string;

  constructor(init: { status: number; reasonPhrase: string; body: unknown; method: string; url: string }) {
    const formErrors = extractFormErrors(init.body);
    super(describe(init.status, init.reasonPhrase, init.body, formErrors));
    this.status = init.status;
    this.reasonPhrase = init.reasonPhrase;
    this.body = init.body;
    this.formErrors = formErrors;
    this.method = init.method;
    this.url = init.url;
  }

  /** The Services message without the status word: `CSRF validation failed`, `Password field is required.` */
  get serviceMessage(): string {
    return bodyMessage(this.body, this.formErrors) ?? stripStatusWord(this.reasonPhrase);
  }

  /** True for `401 … CSRF validation failed` (the client fetches a token and retries once on it). */
  get isCsrfFailure(): boolean {
    return this.status === 401 && /CSRF validation failed/.test(`${this.reasonPhrase} ${bodyMessage(this.body, undefined) ?? ''}`);
  }
}

function extractFormErrors(body: unknown): Record<string, string> | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const fe = (body as Record<string, unknown>).form_errors;
  if (fe === null || typeof fe !== 'object' || Array.isArray(fe)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fe as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : String(v ?? '');
  return out;
}

const stripTags = (s: string): string => s.replace(/<[^>]*>/g, '');

function bodyMessage(body: unknown, formErrors: Record<string, string> | undefined): string | undefined {
  if (formErrors) {
    const msgs = Object.values(formErrors).filter((m) => m !== '').map(stripTags);
    return msgs.length ? msgs.join(' ') : undefined;
  }
  if (Array.isArray(body) && typeof body[0] === 'string') return stripTags(body[0]);
  // Drupal 8+: {"message": …}.
  if (body !== null && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  if (typeof body === 'string' && body !== '') {
    const xml = /<result>([\s\S]*)<\/result>/.exec(body);
    return xml ? xml[1] : body.length <= 200 ? body : undefined;
  }
  return undefined;
}

/** `Unauthorized : CSRF validation failed` → `CSRF validation failed`; `: Access denied…` → `Access denied…`. */
function stripStatusWord(reason: string): string {
  const i = reason.indexOf(' : ');
  if (i >= 0) return reason.slice(i + 3);
  return reason.startsWith(': ') ? reason.slice(2) : reason;
}

function describe(status: number, reason: string, body: unknown, fe: Record<string, string> | undefined): string {
  const msg = bodyMessage(body, fe);
  const line = `${status}${reason ? ` ${reason}` : ''}`;
  return msg && !reason.includes(msg) ? `${line} (${msg})` : line;
}
