import type { FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../../core/core-deps.js';
import type { SessionHandle } from '../../session/session-handle.js';
import type { CookieSpec } from '../../session/session-cookie.js';

/** What a plugin sees when it identifies a request (Services' `authenticate_call`). */
export interface AuthenticationRequest {
  core: CoreDeps;
  request: FastifyRequest;
  cookie: CookieSpec;
  /** The client's address (ip_address(): X-Forwarded-For from a trusted proxy). */
  hostname: string;
}

/** What a plugin sees when it checks a request before its callback runs (after the body is parsed). */
export interface AuthenticationCheck {
  request: FastifyRequest;
  session: SessionHandle;
  query: Record<string, unknown>;
  data: unknown;
  /** The HTTP method as sent (before any _method override). */
  method: string;
  /** The operation opts out of the check (user/token). */
  csrfExempt: boolean;
  /** Hardened profile, user login/register: an anonymous caller needs the token of its pre-session cookie too. */
  anonymousCsrf?: boolean;
}

/**
 * An endpoint's authentication method, as Services' `services_authentication_info` hooks declare them
 * (`services` = the session one). Plugins are tried in the endpoint's order: the first that identifies the
 * request gives its session; every enabled plugin then checks the request.
 */
export interface AuthenticationPlugin {
  readonly name: string;
  /** The request's session, or null when this method does not identify it. */
  authenticate(r: AuthenticationRequest): Promise<SessionHandle | null>;
  /** Throws a GatehouseError to refuse the request (e.g. the CSRF rule). */
  check(c: AuthenticationCheck): void;
}
