/**
 * The OpenAPI 3.1 document of what this server serves, made from the declarations: the Services endpoints as
 * configured (services-paths.ts), the session token, the Drupal 8 dialect when it is on, and the account API.
 * The site's cookie name and base URL are the request's, so the document describes the site it was asked of.
 */
import type { Config } from '../../config/config.js';
import { ACCOUNT_API_PREFIX, ERROR_SCHEMA } from '../account-api/api-operation.js';
import { ACCOUNT_API_OPERATIONS } from '../account-api/register-account-api.js';
import { DRUPAL8_ROUTES } from '../drupal8/register-drupal8.js';
import type { EndpointRuntime } from '../services3/endpoint.js';
import { servicesPaths } from './services-paths.js';

type PathItem = Record<string, Record<string, unknown>>;

export interface DocumentSite { baseUrl: string; cookieName: string }

export function openApiDocument(config: Config, endpoints: readonly EndpointRuntime[], site: DocumentSite, version: string): Record<string, unknown> {
  const paths: Record<string, PathItem> = {
    ...servicesPaths(endpoints),
    '/services/session/token': { get: {
      operationId: 'services.session.token', tags: ['Services'], summary: 'The CSRF token of the session the cookie names (X-CSRF-Token on every write).',
      security: [{ sessionCookie: [] }, {}], responses: { 200: { description: 'The token.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    } },
    ...(config.drupal8.enabled ? drupal8Paths(config) : {}),
    ...accountApiPaths(),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse', version,
      description: 'Drupal 7 Services 3.x user and system resources, the Drupal 8+ core user endpoints and the account API, over one session cookie.',
    },
    servers: [{ url: site.baseUrl }],
    paths,
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: site.cookieName, description: 'The session cookie a login sets.' },
        csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'GET /services/session/token (Services, account API) or /session/token (Drupal 8).' },
      },
    },
  };
}

function drupal8Paths(config: Config): Record<string, PathItem> {
  const prefix = config.drupal8.path === '' ? '' : `/${config.drupal8.path}`;
  const paths: Record<string, PathItem> = {};
  for (const route of DRUPAL8_ROUTES) {
    const path = `${prefix}${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const format = route.needsFormat ? [{ name: '_format', in: 'query', required: true, schema: { type: 'string', enum: ['json'] } }] : [];
    for (const method of Object.keys(route.methods)) {
      (paths[path] ??= {})[method.toLowerCase()] = {
        operationId: `drupal8.${method.toLowerCase()}.${route.path}`, tags: ['Drupal 8+ core REST'], summary: `${method} ${route.path} (Drupal 8+ core)`,
        parameters: [...pathParams, ...format],
        security: method === 'GET' ? [{ sessionCookie: [] }, {}] : [{ sessionCookie: [], csrfToken: [] }, {}],
        responses: { 200: { description: 'As Drupal core answers.', content: route.needsFormat ? { 'application/json': {} } : { 'text/plain': {} } }, default: { description: 'Drupal core\'s error answer.' } },
      };
    }
  }
  return paths;
}

function accountApiPaths(): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  for (const op of ACCOUNT_API_OPERATIONS) {
    const parameters = (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.in === 'path', description: p.description, schema: p.schema }));
    (paths[`${ACCOUNT_API_PREFIX}${op.path}`] ??= {})[op.method.toLowerCase()] = {
      operationId: `account.${op.method.toLowerCase()}${op.path.replace(/[/{}]+/g, '.').replace(/\.$/, '')}`, tags: ['Account API'],
      summary: op.summary, description: op.access === 'administer users' ? 'Needs the permission "administer users".' : 'Needs a logged-in session.',
      parameters,
      security: op.method === 'GET' ? [{ sessionCookie: [] }] : [{ sessionCookie: [], csrfToken: [] }],
      responses: {
        200: { description: op.response.description, content: { 'application/json': { schema: op.response.schema } } },
        default: { description: '400 bad parameter, 403 not logged in / no permission / CSRF, 404 no such thing.', content: { 'application/json': { schema: ERROR_SCHEMA } } },
      },
    };
  }
  return paths;
}
