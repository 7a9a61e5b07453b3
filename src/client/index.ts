/**
 * `gatehouse/client`: the platform-neutral SDK (core client, types, errors, trace) and the browser build.
 * Node programs import `gatehouse/client/node` (or `./node.js`), which adds `createNodeClient` with a
 * cookie jar; this module imports nothing Node-specific and can be bundled for browsers.
 */
export { GatehouseClient, type ClientOptions, type ClientSessionState } from './core.js';
export { Drupal8Client, toFieldLists, type Drupal8ClientOptions, type Drupal8Entity, type Drupal8LoginResult, type Drupal8SessionState } from './drupal8.js';
export { createBrowserClient, type BrowserClientOptions } from './browser.js';
export { GatehouseClientError } from './errors.js';
export { Trace, renderEntry, redactPasswords, type TraceEntry, type RenderOptions } from './trace.js';
export type { CookieStore, FetchLike, Transport } from './transport.js';
export { UsersApi, unwrapBoolean, type CallOptions, type EndpointCaller } from './users.js';
export { encodeQuery, joinUrl, parseResetLink } from './url.js';
export type * from './types.js';
export { diffServers, renderDiffReport, compareExchanges, DIFF_SEQUENCES, type DiffOptions, type DiffReport, type DiffSequence, type SequenceDiff } from './diff.js';
export { normalize, deepDiff, cookieEffect } from './shape.js';
