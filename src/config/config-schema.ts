/**
 * The JSON Schema of the configuration file (GATEHOUSE_CONFIG), kept beside `Config` in config.ts: the
 * `satisfies Record<keyof Config, …>` below makes TypeScript refuse a Config key without its schema entry,
 * so a new setting is added in three places that sit together — the interface, defaultConfig(), and here
 * (type, description, environment variable). docs/config.schema.json and the table in docs/configuration.md
 * are generated from this (`node --import tsx scripts/config-docs.ts`); a test fails when they are stale.
 */
import { ALL_FORMATTERS, ALL_PARSERS, type Config, defaultConfig } from './config.js';

/** A JSON Schema node plus `x-env`: the environment variable that sets the same key (it wins over the file). */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  'x-env'?: string;
  /** Masked by `gatehouse config print` (passwords, salts, URLs with credentials). */
  'x-secret'?: boolean;
  enum?: unknown[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  anyOf?: SchemaNode[];
  minimum?: number;
  deprecated?: boolean;
  maximum?: number;
  pattern?: string;
  minItems?: number;
  default?: unknown;
}

const port: SchemaNode = { type: 'integer', minimum: 0, maximum: 65535 };
const seconds: SchemaNode = { type: 'integer', minimum: 0 };
const positiveMs: SchemaNode = { type: 'integer', minimum: 1 };
const nullableString = (pattern?: string): SchemaNode => ({ type: ['string', 'null'], ...(pattern ? { pattern } : {}) });

const endpoint: SchemaNode = {
  type: 'object',
  description: 'A Services endpoint (Drupal\'s services_endpoint): missing keys take the default endpoint\'s values.',
  required: ['name', 'path'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'Machine name (Services\' endpoint name).' },
    path: { type: 'string', pattern: '^[A-Za-z0-9_\\-/]+$', description: 'URL path below the base path, e.g. `rest`.' },
    formatters: { type: 'array', items: { type: 'string', enum: ALL_FORMATTERS }, description: 'Enabled response formatters.' },
    parsers: { type: 'array', items: { type: 'string', enum: ALL_PARSERS }, description: 'Enabled request parsers (mime types).' },
    resources: {
      type: 'object', description: 'Resources and their enabled operations/actions; `true` = all; a missing resource is disabled.',
      additionalProperties: { anyOf: [{ type: 'boolean', enum: [true] }, { type: 'object', additionalProperties: false, properties: { alias: { type: 'string' }, operations: { type: 'array', items: { type: 'string' } } } }] },
    },
    authentication: { type: 'array', items: { type: 'string', enum: ['session'] }, description: 'Authentication plugins in order (`session`: Services\' session auth and CSRF rule); empty = anonymous.' },
    sessionAuth: { type: 'boolean', description: 'Older form of `authentication`: true = ["session"], false = [].' },
    loginApiVersion: { type: 'string', enum: ['1.0', '1.1'], description: 'Resource API version of user login/logout.' },
    defaultFormat: { type: 'string', enum: ALL_FORMATTERS, description: 'Response format when the request names none.' },
  },
};

/** One entry per Config key (TypeScript checks that none is missing). */
export const CONFIG_PROPERTIES = {
  host: { type: 'string', 'x-env': 'GATEHOUSE_HOST', description: 'Address to listen on.' },
  port: { ...port, 'x-env': 'GATEHOUSE_PORT', description: 'Port to listen on (`PORT` too, when GATEHOUSE_PORT is unset).' },
  baseUrl: { ...nullableString('^https?://[^/]+'), 'x-env': 'GATEHOUSE_BASE_URL', description: 'The old site\'s `$base_url` (absolute URLs in answers and mails, the cookie name); null = from the request\'s Host header.' },
  databaseUrl: { type: 'string', pattern: '^(sqlite:|postgres(ql)?://)', 'x-env': 'DATABASE_URL', 'x-secret': true, description: '`sqlite:path` or `postgres://user:pass@host:5432/db`.' },
  cookieDomain: { ...nullableString(), 'x-env': 'GATEHOUSE_COOKIE_DOMAIN', description: 'The old site\'s `$cookie_domain`; null = derived from the host.' },
  cookieLifetime: { ...seconds, 'x-env': 'GATEHOUSE_COOKIE_LIFETIME', description: 'Session cookie Max-Age (PHP\'s session.cookie_lifetime), seconds.' },
  sessionMaxIdle: { ...seconds, 'x-env': 'GATEHOUSE_SESSION_MAX_IDLE', description: 'Idle sessions older than this are removed (session.gc_maxlifetime), seconds.' },
  trustedProxies: { type: 'array', items: { type: 'string' }, 'x-env': 'GATEHOUSE_TRUSTED_PROXIES', description: 'Addresses or CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed (environment: comma list).' },
  hashSalt: { ...nullableString(), 'x-env': 'GATEHOUSE_HASH_SALT', 'x-secret': true, description: 'The old site\'s `$drupal_hash_salt`; null = the one stored in the database (generated on first start, or imported).' },
  endpoints: { type: 'array', items: endpoint, minItems: 1, description: 'Services endpoints; when the file names none, those imported from a Drupal 7 site are served, else one endpoint `rest` (`GATEHOUSE_ENDPOINT_PATH` changes the first one\'s path).' },
  siteDefaults: { type: 'object', 'x-env': 'GATEHOUSE_VARIABLE_<name>', description: 'Site settings (Drupal variables) used where the database has none: `{"user_register": 1}`. The database wins once set. Also GATEHOUSE_SITE_NAME, GATEHOUSE_SITE_MAIL.' },
  publicFilesDir: { ...nullableString(), 'x-env': 'GATEHOUSE_PUBLIC_FILES_DIR', description: 'Folder that public:// stands for (Drupal\'s sites/default/files on disk): account pictures uploaded on /user/{uid}/edit are written there and served at the site\'s file_public_path. Strangler mode: Drupal\'s own files folder. null = no uploads.' },
  mailDir: { ...nullableString(), 'x-env': 'GATEHOUSE_MAIL_DIR', description: 'Folder for .eml files when no SMTP server is set (GATEHOUSE_SMTP_URL, environment only: it holds credentials); null = no transport.' },
  mailWorker: { type: 'boolean', 'x-env': 'GATEHOUSE_MAIL_WORKER', description: 'Run the outbox worker inside the server process (false: run `gatehouse mail-worker` separately).' },
  logLevel: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'x-env': 'GATEHOUSE_LOG_LEVEL', description: 'Log level (pino); `info` logs one access line per request.' },
  bodyLimit: { type: 'integer', minimum: 1, 'x-env': 'GATEHOUSE_BODY_LIMIT', description: 'Largest request body, bytes (413 above).' },
  metricsPath: { ...nullableString('^/[A-Za-z0-9_\\-/.]*$'), 'x-env': 'GATEHOUSE_METRICS_PATH', description: 'Prometheus metrics path on the main port; null (environment: `off`) removes it.' },
  metricsPort: { type: ['integer', 'null'], minimum: 0, maximum: 65535, 'x-env': 'GATEHOUSE_METRICS_PORT', description: 'A separate port (on `host`) serving only the metrics; null = the main port.' },
  gcInterval: { ...seconds, 'x-env': 'GATEHOUSE_GC_INTERVAL', description: 'Seconds between garbage collections of idle sessions and expired flood events (0 = never).' },
  shutdownTimeout: { ...seconds, 'x-env': 'GATEHOUSE_SHUTDOWN_TIMEOUT', description: 'Seconds a SIGTERM waits for requests in flight before the process exits anyway.' },
  legacy: {
    type: 'object', additionalProperties: false, description: 'Strangler mode: the legacy Drupal 7 site Gatehouse stands in front of (docs/strangler.md).',
    properties: {
      origin: { ...nullableString('^https?://[^/]+$'), 'x-env': 'GATEHOUSE_LEGACY_ORIGIN', description: 'Where requests Gatehouse does not serve are forwarded (scheme://host[:port]); null = no forwarding.' },
      databaseUrl: { ...nullableString('^(mysql|mariadb|postgres|postgresql)://[^/]+/[^/?]+'), 'x-env': 'GATEHOUSE_LEGACY_DATABASE_URL', 'x-secret': true, description: 'The legacy site\'s database (mysql://user:pass@host:port/db or postgres://…/db); null = sessions and accounts not shared.' },
      timeoutMs: { ...positiveMs, 'x-env': 'GATEHOUSE_LEGACY_TIMEOUT_MS', description: 'Connect/answer timeout towards the legacy origin and database, ms.' },
      forward: { type: 'string', enum: ['unserved', 'none'], description: '`unserved`: everything Gatehouse does not serve goes to the origin; `none`: nothing is forwarded.' },
      retryIntervalMs: { ...positiveMs, description: 'How often failed write-backs to the legacy database are retried, ms.' },
    },
  },
  cors: {
    type: 'object', additionalProperties: false, description: 'CORS for hybrid and web apps; off while `origins` is empty (Drupal sends no CORS headers).',
    properties: {
      origins: { type: 'array', items: { type: 'string' }, 'x-env': 'GATEHOUSE_CORS_ORIGINS', description: 'Allowed origins (`https://app.example.com`, `capacitor://localhost`, `null`, `*`); environment: comma list.' },
      credentials: { type: 'boolean', 'x-env': 'GATEHOUSE_CORS_CREDENTIALS', description: 'Allow cookies (the Drupal session) on cross-origin calls.' },
    },
  },
  webhooks: {
    type: 'array', description: 'Where account events are POSTed as JSON, signed (X-Gatehouse-Signature), retried through the outbox (docs/account-api.md).',
    items: {
      type: 'object', additionalProperties: false, required: ['url', 'secret'],
      properties: {
        url: { type: 'string', pattern: '^https?://', description: 'http(s) URL the events are POSTed to.' },
        secret: { type: 'string', pattern: '^.{16,}$', 'x-secret': true, description: 'Key of the HMAC-SHA256 signature (16 characters or more).' },
        events: { type: 'array', items: { type: 'string' }, description: 'Only these events; absent or empty = all.' },
      },
    },
  },
  webPages: { type: ['array', 'null'], items: { type: 'string', enum: ['account', 'console'] }, 'x-env': 'GATEHOUSE_WEB_PAGES', description: 'Web page groups served: `account` (/user/login, register, password, edit, sessions), `console` (/admin/people …); null = all, none in strangler mode (docs/web-pages.md). Environment: comma list or `none`.' },
  trustedHosts: { type: 'array', items: { type: 'string' }, 'x-env': 'GATEHOUSE_TRUSTED_HOSTS', description: 'Host names answered: regular expressions (Drupal 8\'s trusted_host_patterns) matched against the Host without its port; empty = the base URL decides, else only the listening host and localhost (docs/security.md). Environment: comma list.' },
  security: { type: 'string', enum: ['compat', 'hardened'], 'x-env': 'GATEHOUSE_SECURITY', description: '`compat`: byte-compatible with Drupal 7; `hardened`: the safer profile of docs/security.md.' },
  connections: {
    type: 'object', additionalProperties: false, description: 'Slow clients and connection counts (docs/security.md).',
    properties: {
      requestTimeoutMs: { ...positiveMs, 'x-env': 'GATEHOUSE_REQUEST_TIMEOUT_MS', description: 'The whole request must arrive within this, ms.' },
      headersTimeoutMs: { ...positiveMs, 'x-env': 'GATEHOUSE_HEADERS_TIMEOUT_MS', description: 'Request headers must arrive within this, ms.' },
      keepAliveTimeoutMs: { ...positiveMs, description: 'An idle keep-alive connection is closed after this, ms.' },
      max: { ...seconds, 'x-env': 'GATEHOUSE_MAX_CONNECTIONS', description: 'Open connections at most; 0 = no limit.' },
      perIp: { ...seconds, 'x-env': 'GATEHOUSE_MAX_CONNECTIONS_PER_IP', description: 'Open connections from one address at most (behind a proxy every connection is the proxy\'s); 0 = no limit.' },
    },
  },
  parserLimits: {
    type: 'object', additionalProperties: false, description: 'What one request body may hold, whatever its format (413 above).',
    properties: {
      maxDepth: { ...positiveMs, description: 'Deepest nesting of arrays, objects or elements.' },
      maxItems: { ...positiveMs, description: 'Values (keys, elements, list items) in one body.' },
      maxAttributes: { ...positiveMs, description: 'Attributes in one XML body.' },
      maxXmlBytes: { ...positiveMs, description: 'Largest XML body, bytes.' },
      maxValueChars: { ...positiveMs, description: 'Longest single value as sent (a JSON string, a form value), characters.' },
    },
  },
  retention: {
    type: 'object', additionalProperties: false, description: 'Bounded tables: the mail outbox and registrations per address.',
    properties: {
      outboxSentDays: { ...seconds, 'x-env': 'GATEHOUSE_OUTBOX_SENT_DAYS', description: 'Sent mails are kept this many days (one-time links redacted at once); 0 = forever.' },
      outboxFailedDays: { ...seconds, description: 'Mails that failed for good are kept this many days; 0 = forever.' },
      registrationsPerIp: { ...seconds, 'x-env': 'GATEHOUSE_REGISTRATIONS_PER_IP', description: 'Anonymous registrations accepted from one address per window; 0 = no limit.' },
      registrationWindow: { ...positiveMs, description: 'That window, seconds.' },
    },
  },
  hashing: {
    type: 'object', additionalProperties: false, description: 'Password hashing bounds: beyond them login and register answer 503 + Retry-After (docs/deployment.md).',
    properties: {
      threads: { type: ['integer', 'null'], minimum: 1, 'x-env': 'GATEHOUSE_HASH_THREADS', description: 'Hashes computed at once; null = one less than the cores, at least 1.' },
      queue: { ...seconds, 'x-env': 'GATEHOUSE_HASH_QUEUE', description: 'Hashes waiting at most.' },
    },
  },
  drupal8: {
    type: 'object', additionalProperties: false, description: 'The second dialect: Drupal 8+ core\'s REST user endpoints (docs/drupal8.md).',
    properties: {
      enabled: { type: 'boolean', 'x-env': 'GATEHOUSE_DRUPAL8', description: 'Serve /user/login?_format=json and the other Drupal 8+ user endpoints.' },
      path: { type: 'string', pattern: '^[A-Za-z0-9_\\-/]*$', 'x-env': 'GATEHOUSE_DRUPAL8_PATH', description: 'Prefix of their paths: \'\' = Drupal\'s own paths (/user/login …), `d8` = /d8/user/login.' },
      version: { type: 'string', enum: ['11.4', '11.3'], 'x-env': 'GATEHOUSE_DRUPAL8_VERSION', description: 'Whose wording the answers reproduce: Drupal 11.4 or 11.3 and earlier.' },
      registration: { type: 'string', enum: ['user_register', 'permission'], description: 'Who may POST /user/register: `user_register` follows the site\'s registration setting for visitors (a site imported from Drupal 7); `permission` only roles holding `restful post user_registration`.' },
    },
  },
} satisfies Record<keyof Config, SchemaNode>;

/** The whole file's schema, with each key's default from defaultConfig(). */
export function configSchema(): SchemaNode & { $schema: string; $id: string; title: string } {
  const defaults = defaultConfig() as unknown as Record<string, unknown>;
  const properties: Record<string, SchemaNode> = { $schema: { type: 'string', description: 'The schema this file follows (editors use it).' } };
  for (const [key, node] of Object.entries(CONFIG_PROPERTIES) as Array<[string, SchemaNode]>) {
    properties[key] = withDefaults(node, defaults[key]);
  }
  // Replaced by the site setting gatehouse_collation (docs/collation.md); still read and mapped.
  properties.loginNameMatch = { type: 'string', enum: ['insensitive', 'exact'], deprecated: true, 'x-env': 'GATEHOUSE_LOGIN_NAME_MATCH', description: 'Deprecated: the site setting `gatehouse_collation` replaces it (`insensitive` → `lowercase`, `exact` → `pgsql`).' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://gatehouse.invalid/config.schema.json',
    title: 'Gatehouse configuration file (GATEHOUSE_CONFIG)', type: 'object', additionalProperties: false, properties,
  };
}

function withDefaults(node: SchemaNode, value: unknown): SchemaNode {
  if (node.type === 'object' && node.properties && value && typeof value === 'object') {
    const properties = Object.fromEntries(Object.entries(node.properties).map(([k, n]) => [k, withDefaults(n, (value as Record<string, unknown>)[k])]));
    return { ...node, properties };
  }
  return value === undefined ? node : { ...node, default: value };
}
