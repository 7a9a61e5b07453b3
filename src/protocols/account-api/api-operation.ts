/**
 * The account API (`/gatehouse/api/…`): JSON over the site's session cookie, with the session's CSRF token in
 * `X-CSRF-Token` on every write — the Services rules, so an app that already logs in through Services uses it
 * as it is. Operations are declared here, the way Services declares resources: the routes and the OpenAPI
 * document are both made from these declarations.
 */
import type { ConsoleQueries } from '../../core/console/console-queries.js';
import type { AuditLog } from '../../core/audit/audit-log.js';
import type { CoreDeps } from '../../core/core-deps.js';
import type { RequestContext } from '../request-context.js';

/** The JSON Schema subset the declarations use (emitted as it is into OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

export interface ApiParameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  schema: JsonSchema;
}

/** What a handler works with: the request's context, its path and query parameters (checked against their schema). */
export interface ApiCall {
  core: CoreDeps;
  queries: ConsoleQueries;
  audit: AuditLog;
  context: RequestContext;
  params: Record<string, string>;
  query: Record<string, string>;
}

export interface ApiOperation {
  method: 'GET' | 'DELETE';
  /** Below the API's prefix, OpenAPI style: `/sessions/{id}`. */
  path: string;
  summary: string;
  /** Who may call it: any logged-in account, or an account with `administer users`. */
  access: 'authenticated' | 'administer users';
  parameters?: ApiParameter[];
  response: { description: string; schema: JsonSchema };
  handler(call: ApiCall): Promise<unknown>;
}

/** Where the API lives. */
export const ACCOUNT_API_PREFIX = '/gatehouse/api';

/** An error the API answers with: its status and `{ "message": … }`. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** The body of every error answer. */
export const ERROR_SCHEMA: JsonSchema = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } };
