import fs from 'node:fs';
import { CONFIG_PROPERTIES } from './config-schema.js';
import { configFileProblems } from './validate-file.js';
import { ALL_FORMATTERS, ALL_PARSERS, type Config, defaultConfig, defaultEndpoint, type EndpointConfig, WEB_PAGE_GROUPS } from './config.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) { super(`invalid configuration:\n  - ${problems.join('\n  - ')}`); }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = CONFIG_PROPERTIES.logLevel.enum as string[];

/**
 * Reads the configuration: defaults, then the JSON file named by GATEHOUSE_CONFIG (or `opts.file`), then the
 * environment. Validates everything and reports every mistake at once.
 */
export function loadConfig(opts: { env?: Env; file?: string; overrides?: Partial<Config> } = {}): Config {
  const env = opts.env ?? process.env;
  const config: Config = defaultConfig();
  const problems: string[] = [];
  const file = opts.file ?? env.GATEHOUSE_CONFIG;
  if (file) {
    try {
      const content: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      const mistakes = configFileProblems(content);
      for (const m of mistakes) problems.push(`GATEHOUSE_CONFIG ${file}: ${m}`);
      if (mistakes.length === 0) { const { $schema: _schema, ...settings } = content as Partial<Config> & { $schema?: string }; Object.assign(config, settings); }
    } catch (err) {
      problems.push(`GATEHOUSE_CONFIG ${file}: ${(err as Error).message}`);
    }
  }
  fromEnv(env, config, problems);
  Object.assign(config, opts.overrides ?? {});
  config.endpoints = config.endpoints.map((e) => ({ ...defaultEndpoint(), ...e }));
  config.legacy = { ...defaultConfig().legacy, ...config.legacy };
  config.cors = { ...defaultConfig().cors, ...config.cors };
  config.connections = { ...defaultConfig().connections, ...config.connections };
  config.parserLimits = { ...defaultConfig().parserLimits, ...config.parserLimits };
  config.retention = { ...defaultConfig().retention, ...config.retention };
  config.hashing = { ...defaultConfig().hashing, ...config.hashing };
  config.drupal8 = { ...defaultConfig().drupal8, ...config.drupal8 };
  validate(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function fromEnv(env: Env, c: Config, problems: string[]): void {
  const str = (name: string, apply: (v: string) => void) => { const v = env[name]; if (v !== undefined && v !== '') apply(v); };
  const int = (name: string, apply: (v: number) => void) => str(name, (v) => {
    if (!/^\d+$/.test(v)) problems.push(`${name} must be a whole number, got "${v}"`); else apply(Number(v));
  });
  str('GATEHOUSE_HOST', (v) => { c.host = v; });
  int('GATEHOUSE_PORT', (v) => { c.port = v; });
  int('PORT', (v) => { if (env.GATEHOUSE_PORT === undefined) c.port = v; });
  str('DATABASE_URL', (v) => { c.databaseUrl = v; });
  str('GATEHOUSE_BASE_URL', (v) => { c.baseUrl = v.replace(/\/+$/, ''); });
  str('GATEHOUSE_COOKIE_DOMAIN', (v) => { c.cookieDomain = v; });
  int('GATEHOUSE_COOKIE_LIFETIME', (v) => { c.cookieLifetime = v; });
  int('GATEHOUSE_SESSION_MAX_IDLE', (v) => { c.sessionMaxIdle = v; });
  str('GATEHOUSE_TRUSTED_PROXIES', (v) => { c.trustedProxies = v.split(',').map((s) => s.trim()).filter(Boolean); });
  str('GATEHOUSE_HASH_SALT', (v) => { c.hashSalt = v; });
  str('GATEHOUSE_MAIL_DIR', (v) => { c.mailDir = v; });
  str('GATEHOUSE_PUBLIC_FILES_DIR', (v) => { c.publicFilesDir = /^(off|none|null)$/i.test(v) ? null : v; });
  str('GATEHOUSE_MAIL_WORKER', (v) => { c.mailWorker = !/^(0|false|no|off)$/i.test(v); });
  str('GATEHOUSE_LOG_LEVEL', (v) => { c.logLevel = v; });
  int('GATEHOUSE_BODY_LIMIT', (v) => { c.bodyLimit = v; });
  str('GATEHOUSE_CORS_ORIGINS', (v) => { c.cors = { ...c.cors, origins: v.split(',').map((o) => o.trim()).filter(Boolean) }; });
  str('GATEHOUSE_CORS_CREDENTIALS', (v) => { c.cors = { ...c.cors, credentials: !/^(0|false|no|off)$/i.test(v) }; });
  str('GATEHOUSE_METRICS_PATH', (v) => { c.metricsPath = /^(off|none|false|0)$/i.test(v) ? null : v; });
  int('GATEHOUSE_METRICS_PORT', (v) => { c.metricsPort = v; });
  int('GATEHOUSE_GC_INTERVAL', (v) => { c.gcInterval = v; });
  int('GATEHOUSE_SHUTDOWN_TIMEOUT', (v) => { c.shutdownTimeout = v; });
  int('GATEHOUSE_HASH_THREADS', (v) => { c.hashing = { ...c.hashing, threads: v }; });
  int('GATEHOUSE_HASH_QUEUE', (v) => { c.hashing = { ...c.hashing, queue: v }; });
  str('GATEHOUSE_LEGACY_ORIGIN', (v) => { c.legacy = { ...c.legacy, origin: v.replace(/\/+$/, '') }; });
  str('GATEHOUSE_LEGACY_DATABASE_URL', (v) => { c.legacy = { ...c.legacy, databaseUrl: v }; });
  int('GATEHOUSE_LEGACY_TIMEOUT_MS', (v) => { c.legacy = { ...c.legacy, timeoutMs: v }; });
  str('GATEHOUSE_DRUPAL8', (v) => { c.drupal8 = { ...c.drupal8, enabled: !/^(0|false|no|off)$/i.test(v) }; });
  str('GATEHOUSE_DRUPAL8_PATH', (v) => { c.drupal8 = { ...c.drupal8, path: v.replace(/^\/+|\/+$/g, '') }; });
  str('GATEHOUSE_DRUPAL8_VERSION', (v) => { c.drupal8 = { ...c.drupal8, version: v as Config['drupal8']['version'] }; });
  str('GATEHOUSE_WEB_PAGES', (v) => { c.webPages = /^(none|off)$/i.test(v) ? [] : v.split(',').map((g) => g.trim()).filter(Boolean) as Config['webPages']; });
  str('GATEHOUSE_ENDPOINT_PATH', (v) => { c.endpoints = [{ ...(c.endpoints[0] ?? defaultEndpoint()), path: v.replace(/^\/+|\/+$/g, '') }, ...c.endpoints.slice(1)]; });
  str('GATEHOUSE_TRUSTED_HOSTS', (v) => { c.trustedHosts = v.split(',').map((s) => s.trim()).filter(Boolean); });
  str('GATEHOUSE_SECURITY', (v) => { c.security = v as Config['security']; });
  int('GATEHOUSE_MAX_CONNECTIONS', (v) => { c.connections = { ...c.connections, max: v }; });
  int('GATEHOUSE_MAX_CONNECTIONS_PER_IP', (v) => { c.connections = { ...c.connections, perIp: v }; });
  int('GATEHOUSE_REQUEST_TIMEOUT_MS', (v) => { c.connections = { ...c.connections, requestTimeoutMs: v }; });
  int('GATEHOUSE_HEADERS_TIMEOUT_MS', (v) => { c.connections = { ...c.connections, headersTimeoutMs: v }; });
  int('GATEHOUSE_OUTBOX_SENT_DAYS', (v) => { c.retention = { ...c.retention, outboxSentDays: v }; });
  int('GATEHOUSE_REGISTRATIONS_PER_IP', (v) => { c.retention = { ...c.retention, registrationsPerIp: v }; });
  const site: Record<string, unknown> = { ...c.siteDefaults };
  legacyLoginNameMatch(site, env.GATEHOUSE_LOGIN_NAME_MATCH || (c as { loginNameMatch?: unknown }).loginNameMatch, problems);
  delete (c as { loginNameMatch?: unknown }).loginNameMatch;
  str('GATEHOUSE_SITE_NAME', (v) => { site.site_name = v; });
  str('GATEHOUSE_SITE_MAIL', (v) => { site.site_mail = v; });
  // Any site setting: GATEHOUSE_VARIABLE_<name>=<JSON or text>, e.g. GATEHOUSE_VARIABLE_user_register=1.
  for (const [key, value] of Object.entries(env)) {
    const m = /^GATEHOUSE_VARIABLE_(\w+)$/.exec(key);
    if (m && value !== undefined) site[m[1]] = parseLoose(value);
  }
  c.siteDefaults = site;
}

/**
 * The former deployment setting `loginNameMatch` / GATEHOUSE_LOGIN_NAME_MATCH, now the site setting
 * `gatehouse_collation` (which the import sets from the source database): `insensitive` is `lowercase`,
 * `exact` is `pgsql` (exact `=`, case-insensitive uniqueness). An explicit gatehouse_collation wins.
 */
function legacyLoginNameMatch(site: Record<string, unknown>, value: unknown, problems: string[]): void {
  if (value === undefined || value === '') return;
  const mapped = value === 'insensitive' ? 'lowercase' : value === 'exact' ? 'pgsql' : null;
  if (mapped === null) problems.push(`GATEHOUSE_LOGIN_NAME_MATCH must be "insensitive" or "exact", got "${String(value)}" (loginNameMatch is replaced by the site setting gatehouse_collation)`);
  else if (site.gatehouse_collation === undefined) site.gatehouse_collation = mapped;
}

function parseLoose(value: string): unknown {
  try { return JSON.parse(value); } catch { return value; }
}

function validate(c: Config, problems: string[]): void {
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) problems.push(`port must be 0–65535, got ${c.port}`);
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(c.databaseUrl)) problems.push(`DATABASE_URL must start with sqlite: or postgres://, got "${c.databaseUrl}"`);
  if (c.baseUrl !== null && !/^https?:\/\/[^/]+/.test(c.baseUrl)) problems.push(`GATEHOUSE_BASE_URL must be an absolute http(s) URL, got "${c.baseUrl}"`);
  if (!LOG_LEVELS.includes(c.logLevel)) problems.push(`GATEHOUSE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${c.logLevel}"`);
  if (c.metricsPath !== null && !/^\/[A-Za-z0-9_\-/.]*$/.test(c.metricsPath)) problems.push(`GATEHOUSE_METRICS_PATH must be a path such as /metrics, got "${c.metricsPath}"`);
  if (c.metricsPort !== null && (!Number.isInteger(c.metricsPort) || c.metricsPort < 0 || c.metricsPort > 65535)) problems.push(`GATEHOUSE_METRICS_PORT must be 0–65535, got ${c.metricsPort}`);
  if (c.endpoints.length === 0) problems.push('at least one endpoint is needed');
  for (const o of c.cors.origins) {
    if (o !== '*' && o !== 'null' && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(o)) problems.push(`GATEHOUSE_CORS_ORIGINS: "${o}" must be an origin such as https://app.example.com (scheme://host[:port], no path), "null" or "*"`);
  }
  const { threads, queue } = c.hashing;
  if (threads !== null && (!Number.isInteger(threads) || threads < 1)) problems.push(`GATEHOUSE_HASH_THREADS must be a whole number ≥ 1, got ${threads}`);
  if (!Number.isInteger(queue) || queue < 0) problems.push(`GATEHOUSE_HASH_QUEUE must be a whole number ≥ 0, got ${queue}`);
  for (const g of c.webPages ?? []) if (!WEB_PAGE_GROUPS.includes(g)) problems.push(`GATEHOUSE_WEB_PAGES: "${g}" is no page group (${WEB_PAGE_GROUPS.join(', ')}, or none)`);
  const legacy = c.legacy;
  if (legacy.origin !== null && !/^https?:\/\/[^/]+$/.test(legacy.origin)) problems.push(`GATEHOUSE_LEGACY_ORIGIN must be scheme://host[:port] (http or https, no path), got "${legacy.origin}"`);
  if (legacy.databaseUrl !== null && !/^(mysql|mariadb|postgres|postgresql):\/\/[^/]+\/[^/?]+/.test(legacy.databaseUrl)) problems.push(`GATEHOUSE_LEGACY_DATABASE_URL must be mysql://user[:password]@host[:port]/database or postgres://…/database, got "${legacy.databaseUrl}"`);
  if (!Number.isInteger(legacy.timeoutMs) || legacy.timeoutMs < 1) problems.push(`legacy.timeoutMs must be a positive whole number of milliseconds, got ${legacy.timeoutMs}`);
  if (!['unserved', 'none'].includes(legacy.forward)) problems.push(`legacy.forward must be "unserved" or "none", got "${legacy.forward}"`);
  if (!Number.isInteger(legacy.retryIntervalMs) || legacy.retryIntervalMs < 1) problems.push(`legacy.retryIntervalMs must be a positive whole number of milliseconds, got ${legacy.retryIntervalMs}`);
  validateHardening(c, problems);
  if (!['11.4', '11.3'].includes(c.drupal8.version)) problems.push(`GATEHOUSE_DRUPAL8_VERSION must be "11.4" or "11.3", got "${c.drupal8.version}"`);
  if (/[^A-Za-z0-9_\-/]/.test(c.drupal8.path)) problems.push(`drupal8.path "${c.drupal8.path}" must be empty or a plain path such as "d8"`);
  if (!['user_register', 'permission'].includes(c.drupal8.registration)) problems.push(`drupal8.registration must be "user_register" or "permission", got "${c.drupal8.registration}"`);
  const paths = new Set<string>();
  c.endpoints.forEach((e: EndpointConfig, i) => {
    if (!e.path || /[^A-Za-z0-9_\-/]/.test(e.path)) problems.push(`endpoints[${i}].path "${e.path}" must be a plain path such as "rest"`);
    if (paths.has(e.path)) problems.push(`endpoints[${i}].path "${e.path}" is used twice`);
    paths.add(e.path);
    for (const f of e.formatters) if (!ALL_FORMATTERS.includes(f)) problems.push(`endpoints[${i}].formatters: unknown formatter "${f}"`);
    for (const p of e.parsers) if (!ALL_PARSERS.includes(p)) problems.push(`endpoints[${i}].parsers: unknown parser "${p}"`);
    if (!['1.0', '1.1'].includes(e.loginApiVersion)) problems.push(`endpoints[${i}].loginApiVersion must be "1.0" or "1.1"`);
  });
}

function validateHardening(c: Config, problems: string[]): void {
  if (!['compat', 'hardened'].includes(c.security)) problems.push(`GATEHOUSE_SECURITY must be "compat" or "hardened", got "${c.security}"`);
  if (c.security === 'hardened' && c.trustedHosts.length === 0 && c.baseUrl === null) problems.push('security "hardened" needs trustedHosts (GATEHOUSE_TRUSTED_HOSTS) or a base URL (GATEHOUSE_BASE_URL)');
  for (const p of c.trustedHosts) {
    try { new RegExp(p); } catch { problems.push(`trustedHosts: "${p}" is not a regular expression`); }
  }
  const whole = (group: string, values: Record<string, unknown>, min: number) => {
    for (const [k, v] of Object.entries(values)) if (!Number.isInteger(v) || (v as number) < min) problems.push(`${group}.${k} must be a whole number ≥ ${min}, got ${String(v)}`);
  };
  whole('connections', { ...c.connections }, 0);
  whole('parserLimits', { ...c.parserLimits }, 1);
  whole('retention', { ...c.retention }, 0);
  if (c.connections.requestTimeoutMs > 0 && c.connections.headersTimeoutMs > c.connections.requestTimeoutMs) problems.push('connections.headersTimeoutMs must not exceed connections.requestTimeoutMs');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
