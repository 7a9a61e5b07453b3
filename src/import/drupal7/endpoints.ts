/**
 * Step `endpoints`: Services endpoints from `services_endpoint` (PHP-serialized authentication, server
 * settings and resources) as Gatehouse endpoint configurations: path, formatters, parsers, enabled resources
 * and operations with their aliases, authentication plugins, the login/logout resource API version. They are
 * stored as the site setting `gatehouse_services_endpoints` (JSON, the Config `endpoints` shape); the
 * deployment uses them with `importedEndpoints()`. Endpoints of another server than rest_server are reported.
 */
import type { EndpointConfig } from '../../config/config.js';
import { ALL_FORMATTERS, ALL_PARSERS } from '../../config/config.js';
import { phpUnserialize } from '../../lib/php-serialize.js';
import { changeKind } from './report.js';
import { countRows, type ImportContext, type ImportStep } from './step.js';

const TABLE = 'services_endpoint';
export const ENDPOINTS_VARIABLE = 'gatehouse_services_endpoints';
/** Services authentication module names → Gatehouse plugin names. */
const AUTHENTICATION: Record<string, string> = { services: 'session' };

export const endpointsStep: ImportStep = {
  name: 'endpoints',
  count: (ctx) => countRows(ctx, TABLE),
  async run(ctx) {
    if (!(await ctx.source.hasTable(TABLE))) { ctx.report.note('The site has no services_endpoint table: no endpoints were imported.'); return; }
    const rows = await ctx.source.query('SELECT name, server, path, authentication, server_settings, resources FROM {services_endpoint} ORDER BY name');
    const endpoints: EndpointConfig[] = [];
    for (const row of rows) {
      ctx.progress.advance(1);
      const name = String(row.name);
      if (String(row.server) !== 'rest_server') { ctx.report.error(TABLE, `name=${name}`, `server "${String(row.server)}" is not rest_server: Gatehouse speaks REST only`); continue; }
      try {
        endpoints.push(toEndpoint(ctx, row));
        ctx.report.count(TABLE, 'imported');
      } catch (err) {
        ctx.report.error(TABLE, `name=${name}`, `its settings do not unserialize (${(err as Error).message})`);
      }
    }
    if (endpoints.length === 0) return;
    const json = JSON.stringify(endpoints);
    const before = await ctx.target.selectFrom('variable').select('value').where('name', '=', ENDPOINTS_VARIABLE).executeTakeFirst();
    if (changeKind(before, { value: json }) === 'unchanged') return;
    await ctx.target.insertInto('variable').values({ name: ENDPOINTS_VARIABLE, value: json })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: json })).execute();
    ctx.report.note(`Services endpoints imported as site setting ${ENDPOINTS_VARIABLE}: ${endpoints.map((e) => `/${e.path}`).join(', ')}.`);
  },
};

type PhpMap = Record<string, unknown>;

function map(v: unknown): PhpMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as PhpMap) : Array.isArray(v) ? Object.fromEntries(v.entries()) : {};
}

function unserialize(text: unknown): PhpMap {
  const s = String(text ?? '');
  return s === '' ? {} : map(phpUnserialize(s));
}

function enabledKeys(m: PhpMap, known: string[]): string[] {
  return Object.entries(m).filter(([k, v]) => known.includes(k) && !(v === false || v === 0 || v === '0' || v === '' || v === null)).map(([k]) => k);
}

/** One services_endpoint row as an EndpointConfig. */
export function toEndpoint(ctx: ImportContext, row: Record<string, unknown>): EndpointConfig {
  const name = String(row.name);
  const server = unserialize(row.server_settings);
  const auth = Object.keys(unserialize(row.authentication));
  const authentication: string[] = [];
  for (const a of auth) {
    if (AUTHENTICATION[a]) authentication.push(AUTHENTICATION[a]);
    else ctx.report.warn(TABLE, `name=${name}`, `authentication "${a}" has no Gatehouse plugin: left out`);
  }
  const resources: EndpointConfig['resources'] = {};
  let loginApiVersion: EndpointConfig['loginApiVersion'] = '1.0';
  for (const [resource, settingsValue] of Object.entries(unserialize(row.resources))) {
    const settings = map(settingsValue);
    const operations: string[] = [];
    for (const group of ['operations', 'actions', 'targeted_actions', 'relationships']) {
      for (const [op, opSettings] of Object.entries(map(settings[group]))) {
        const o = map(opSettings);
        if (!(o.enabled === '1' || o.enabled === 1 || o.enabled === true)) continue;
        operations.push(op);
        const version = map(map(o.settings).services).resource_api_version;
        if (resource === 'user' && (op === 'login' || op === 'logout') && (version === '1.1' || version === '1.0')) loginApiVersion = version;
      }
    }
    if (operations.length === 0) continue;
    resources[resource] = { ...(typeof settings.alias === 'string' && settings.alias !== '' ? { alias: settings.alias } : {}), operations };
  }
  const formatters = server.formatters === undefined ? [...ALL_FORMATTERS] : enabledKeys(map(server.formatters), ALL_FORMATTERS);
  return {
    name, path: String(row.path).replace(/^\/+|\/+$/g, ''), formatters,
    parsers: server.parsers === undefined ? [...ALL_PARSERS] : enabledKeys(map(server.parsers), ALL_PARSERS),
    resources, authentication, loginApiVersion, defaultFormat: formatters.includes('json') ? 'json' : (formatters[0] ?? 'json'),
  };
}

/** The endpoints an import stored, for the deployment's Config (null when none were imported). */
export function importedEndpoints(stored: unknown): EndpointConfig[] | null {
  return Array.isArray(stored) && stored.length > 0 ? (stored as EndpointConfig[]) : null;
}
