/**
 * The OpenAPI paths of the Services endpoints, from their resource declarations as each endpoint configures
 * them (aliases, enabled operations, formatters and parsers): the URL shapes of RESTServer — CRUD on
 * `{resource}` and `{resource}/{id}`, actions on `{resource}/{action}`, targeted actions on
 * `{resource}/{id}/{action}`, relationships on `{resource}/{id}/{relationship}` — each also reachable with a
 * `.{format}` suffix.
 */
import { FORMATTERS } from '../services3/formats/index.js';
import type { EndpointRuntime } from '../services3/endpoint.js';
import type { ArgumentSpec, OperationSpec } from '../services3/resource.js';

type PathItem = Record<string, Record<string, unknown>>;

const CRUD: Record<string, { method: string; withId: boolean }> = {
  retrieve: { method: 'get', withId: true }, update: { method: 'put', withId: true }, delete: { method: 'delete', withId: true },
  create: { method: 'post', withId: false }, index: { method: 'get', withId: false },
};

const idName = (spec: OperationSpec) => spec.args.find((a) => a.source.from === 'path' && a.source.index === 0)?.name ?? 'id';

export function servicesPaths(endpoints: readonly EndpointRuntime[]): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  const add = (path: string, method: string, operation: Record<string, unknown>) => { (paths[path] ??= {})[method] = operation; };
  for (const endpoint of endpoints) {
    const base = `/${endpoint.config.path}`;
    const responses = responseContent(endpoint);
    for (const [urlName, resource] of endpoint.resources) {
      const op = (name: string, spec: OperationSpec, method: string, path: string, pathParams: string[]) => add(path, method, operation(endpoint, responses, `${resource.name}.${name}`, spec, method, pathParams));
      for (const [name, spec] of Object.entries(resource.operations ?? {})) {
        if (!spec) continue;
        const { method, withId } = CRUD[name];
        op(name, spec, method, withId ? `${base}/${urlName}/{${idName(spec)}}` : `${base}/${urlName}`, withId ? [idName(spec)] : []);
      }
      for (const [name, spec] of Object.entries(resource.actions ?? {})) op(name, spec, 'post', `${base}/${urlName}/${name}`, []);
      for (const [name, spec] of Object.entries(resource.targetedActions ?? {})) op(name, spec, 'post', `${base}/${urlName}/{${idName(spec)}}/${name}`, [idName(spec)]);
      for (const [name, spec] of Object.entries(resource.relationships ?? {})) op(name, spec, 'get', `${base}/${urlName}/{${idName(spec)}}/${name}`, [idName(spec)]);
    }
  }
  return paths;
}

function responseContent(endpoint: EndpointRuntime): Record<string, object> {
  const content: Record<string, object> = {};
  for (const name of endpoint.config.formatters) for (const mime of FORMATTERS[name]?.mimeTypes.slice(0, 1) ?? []) content[mime] = {};
  return content;
}

const schemaOf = (arg: ArgumentSpec) => (arg.type === 'array' || arg.type === 'struct' ? { type: ['object', 'array'] } : arg.type === 'int' ? { type: ['integer', 'string'] } : {});

function operation(endpoint: EndpointRuntime, responses: Record<string, object>, id: string, spec: OperationSpec, method: string, pathParams: string[]): Record<string, unknown> {
  const parameters: object[] = pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  for (const arg of spec.args) {
    if (arg.source.from !== 'param') continue;
    parameters.push({ name: arg.source.name ?? arg.name, in: 'query', required: !arg.optional, schema: schemaOf(arg) });
  }
  const data = spec.args.filter((a) => a.source.from === 'data');
  const writes = method !== 'get';
  const out: Record<string, unknown> = {
    operationId: `${endpoint.config.name}.${id}`,
    summary: `${id} (Services endpoint "${endpoint.config.name}"; a .{format} suffix picks the answer's format: ${endpoint.config.formatters.join(', ')})`,
    tags: [`Services: ${endpoint.config.name}`],
    parameters,
    responses: { 200: { description: 'The result, in the negotiated format.', content: responses }, default: { description: 'Drupal\'s status line and error body (e.g. `401 Unauthorized : CSRF validation failed`).' } },
    security: writes && !spec.csrfExempt ? [{ sessionCookie: [], csrfToken: [] }, {}] : [{ sessionCookie: [] }, {}],
  };
  if (data.length > 0) {
    const properties = Object.fromEntries(data.map((a) => [a.source.from === 'data' && a.source.name ? a.source.name : a.name, schemaOf(a)]));
    const whole = data.find((a) => a.source.from === 'data' && a.source.name === undefined);
    const schema = whole ? { type: 'object', description: `The whole body is "${whole.name}".` } : { type: 'object', properties };
    out.requestBody = { required: data.some((a) => !a.optional), content: Object.fromEntries(endpoint.config.parsers.map((mime) => [mime, { schema }])) };
  }
  return out;
}
