/**
 * The `user` resource's CRUD operations and targeted actions (`client.users.*`). Session-level calls
 * (login, logout, register, token, password requests) live on the client itself.
 */
import type { Method } from './exchange.js';
import type { CreateResult, DrupalUser, IndexQuery, IndexRow, NewAccount, UpdateResult, UserUpdate } from './types.js';

export interface CallOptions {
  json?: unknown;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  note?: string;
}

/** What the users API needs from the client: an endpoint call with token handling and typed errors. */
export interface EndpointCaller {
  call<T>(method: Method, path: string, opts?: CallOptions): Promise<T>;
}

/** `[true]` (Services wraps scalars in an array) → `true`. */
export function unwrapBoolean(body: unknown): boolean {
  const v = Array.isArray(body) ? body[0] : body;
  return v === true || v === 1 || v === '1';
}

const id = (uid: string | number): string => encodeURIComponent(String(uid));

export class UsersApi {
  constructor(private readonly client: EndpointCaller) {}

  /** `GET user/{uid}`. */
  retrieve(uid: string | number): Promise<DrupalUser> {
    return this.client.call<DrupalUser>('GET', `user/${id(uid)}`);
  }

  /** `POST user` (create). Anonymous visitors should prefer `client.register()`, which handles the session. */
  create(account: NewAccount): Promise<CreateResult> {
    return this.client.call<CreateResult>('POST', 'user', { json: account });
  }

  /**
   * `PUT user/{uid}`. Changing one's own mail or password needs `current_pass`, unless `passResetToken`
   * (from `userPassReset`) is given.
   */
  update(uid: string | number, data: UserUpdate, opts: { passResetToken?: string } = {}): Promise<UpdateResult> {
    const query = opts.passResetToken ? { 'pass-reset-token': opts.passResetToken } : undefined;
    return this.client.call<UpdateResult>('PUT', `user/${id(uid)}`, { json: data, query });
  }

  /** `DELETE user/{uid}` (needs *administer users*). */
  async delete(uid: string | number): Promise<boolean> {
    return unwrapBoolean(await this.client.call<unknown>('DELETE', `user/${id(uid)}`));
  }

  /** `GET user?page=&pagesize=&fields=&parameters[col]=` (needs *access user profiles*). */
  index(q: IndexQuery = {}): Promise<IndexRow[]> {
    // Keys go out in the caller's order; `fields` arrays become the comma-separated list.
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(q)) if (v !== undefined) query[k] = k === 'fields' && Array.isArray(v) ? v.join(',') : v;
    return this.client.call<IndexRow[]>('GET', 'user', { query });
  }

  /** `POST user/{uid}/cancel` (needs *administer users*). */
  async cancel(uid: string | number): Promise<boolean> {
    return unwrapBoolean(await this.client.call<unknown>('POST', `user/${id(uid)}/cancel`));
  }

  /** `POST user/{uid}/password_reset`: mails a one-time login link to that account. */
  async passwordReset(uid: string | number): Promise<boolean> {
    return unwrapBoolean(await this.client.call<unknown>('POST', `user/${id(uid)}/password_reset`));
  }

  /** `POST user/{uid}/resend_welcome_email` (needs *administer users*). */
  async resendWelcomeEmail(uid: string | number): Promise<boolean> {
    return unwrapBoolean(await this.client.call<unknown>('POST', `user/${id(uid)}/resend_welcome_email`));
  }
}
