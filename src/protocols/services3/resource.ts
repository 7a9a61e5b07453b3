import type { CoreDeps, Caller } from '../../core/core-deps.js';
import type { Account } from '../../core/model.js';
import type { SessionHandle } from '../session/session-handle.js';

/** Where an argument comes from, as Services declares it. */
export type ArgumentSource =
  | { from: 'path'; index: number }
  | { from: 'param'; name?: string }
  | { from: 'data'; name?: string };

export interface ArgumentSpec {
  name: string;
  source: ArgumentSource;
  optional?: boolean;
  default?: unknown;
  /** Only `array` acts (the value is cast to an array), as in Services. */
  type?: 'array' | 'string' | 'int' | 'struct';
}

/** What a controller sees: the core, the caller, the session, the endpoint, the request's query. */
export interface InvocationContext {
  deps: CoreDeps;
  caller: Caller;
  session: SessionHandle;
  endpoint: { name: string; path: string; baseUrl: string; resourcePath(resource: string): string };
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  /** Accounts loaded by an access rule, to avoid loading twice. */
  loaded: Map<string, Account>;
}

export type Args = Record<string, unknown>;

export interface OperationSpec {
  args: ArgumentSpec[];
  /** Returns true to allow; false means "403 : Access denied for user …". May throw a GatehouseError (e.g. 404). */
  access: (ctx: InvocationContext, args: Args) => boolean | Promise<boolean>;
  handler: (ctx: InvocationContext, args: Args) => Promise<unknown>;
  /** Skip the CSRF check (Services exempts only user/token). */
  csrfExempt?: boolean;
  /** Variants by resource API version (e.g. user login 1.1), chosen per endpoint or by request header. */
  versions?: Record<string, Omit<OperationSpec, 'versions'>>;
}

export type CrudOperation = 'retrieve' | 'create' | 'update' | 'delete' | 'index';

/** A resource, declared the way Services declares one. A site can add its own without touching the router. */
export interface ResourceSpec {
  name: string;
  operations?: Partial<Record<CrudOperation, OperationSpec>>;
  actions?: Record<string, OperationSpec>;
  targetedActions?: Record<string, OperationSpec>;
  relationships?: Record<string, OperationSpec>;
}

export function defineResource(spec: ResourceSpec): ResourceSpec {
  return spec;
}
