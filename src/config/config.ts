/** Deployment configuration: read once at start (file + environment), validated, frozen, passed down. */
export interface EndpointConfig {
  /** Machine name (Services' endpoint name). */
  name: string;
  /** URL path below the base path, e.g. `rest`. */
  path: string;
  /** Enabled response formatters. */
  formatters: string[];
  /** Enabled request parsers (mime types). */
  parsers: string[];
  /** Resources and their enabled operations/actions; `true` = all. Missing resource = disabled. */
  resources: Record<string, true | { alias?: string; operations?: string[] }>;
  /**
   * Authentication plugins, in order (src/protocols/services3/auth/): `session` (Services' `services`: the
   * session user and the CSRF rule). Empty = anonymous. When absent, `sessionAuth` decides.
   */
  authentication?: string[];
  /** Older form of `authentication`: true = ['session'], false = []. */
  sessionAuth?: boolean;
  /** Resource API version of user login/logout ("1.0" or "1.1"). */
  loginApiVersion: '1.0' | '1.1';
  defaultFormat: string;
}

export interface Config {
  host: string;
  port: number;
  /** Drupal's $base_url (scheme://host[:port][/path]); null = from the request's Host header. */
  baseUrl: string | null;
  databaseUrl: string;
  /** $cookie_domain; null = derived from the Host header. */
  cookieDomain: string | null;
  /** session.cookie_lifetime (seconds). */
  cookieLifetime: number;
  /** session.gc_maxlifetime (seconds): idle sessions older than this are removed. */
  sessionMaxIdle: number;
  /** Addresses (or CIDRs) of reverse proxies whose X-Forwarded-* headers are believed. */
  trustedProxies: string[];
  /** $drupal_hash_salt; null = the one stored in the database (generated on first start, or imported). */
  hashSalt: string | null;
  endpoints: EndpointConfig[];
  /** Site settings used where the database has none yet (the database wins once set). */
  siteDefaults: Record<string, unknown>;
  /** Where the embedded mail transport drops .eml files when no SMTP server is configured (GATEHOUSE_SMTP_URL); null = none. */
  mailDir: string | null;
  /**
   * The folder `public://` stands for (Drupal's sites/default/files on disk): pictures uploaded on the account
   * page are written under it and served at the site's file_public_path. In strangler mode, Drupal's own files
   * folder (shared), so both sites read the same bytes. null = no picture uploads.
   */
  publicFilesDir: string | null;
  /** Run the outbox worker inside the server process. */
  mailWorker: boolean;
  logLevel: string;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /** Path of the Prometheus metrics on the main port (null = not there); ignored when metricsPort is set. */
  metricsPath: string | null;
  /** A separate port (on `host`) that serves only the metrics, at metricsPath or /metrics; null = the main port. */
  metricsPort: number | null;
  /** Seconds between garbage collections of idle sessions and expired flood events (0 = never). */
  gcInterval: number;
  /** Seconds a SIGTERM waits for requests in flight before the process gives up and exits. */
  shutdownTimeout: number;
  /** Strangler mode: the legacy Drupal 7 site Gatehouse stands in front of (see docs/strangler.md). */
  legacy: LegacyConfig;
  /** CORS for hybrid and web apps; off while `origins` is empty (the real site sends no CORS headers). */
  cors: CorsConfig;
  /**
   * Which groups of web pages Gatehouse serves: `account` (/user/login, register, password, edit, sessions)
   * and `console` (/admin/people, sessions, flood, mail). null = all of them, except in strangler mode
   * (legacy.origin set), where none are until the operator moves them over.
   */
  webPages: WebPageGroup[] | null;
  /**
   * Host names answered (Drupal 8's trusted_host_patterns: regular expressions matched against the Host without
   * its port, e.g. `^www\\.example\\.com$`). Empty: the base URL decides, else only the listening host and
   * localhost (see src/protocols/trusted-host.ts).
   */
  trustedHosts: string[];
  /** `compat`: byte-compatible with Drupal 7; `hardened`: the safer profile of docs/security.md. */
  security: 'compat' | 'hardened';
  /** Slow clients and connection counts (see docs/security.md). */
  connections: ConnectionLimits;
  /** What one request body may hold, whatever its format. */
  parserLimits: ParserLimits;
  /** Bounded tables: the mail outbox and registrations per address. */
  retention: RetentionConfig;
  /** Password hashing bounds (src/core/passwords/hash-limiter.ts). */
  hashing: HashingConfig;
  /** The second dialect: Drupal 8+ core's REST user endpoints (Services is served on `endpoints`; none = off). */
  drupal8: Drupal8Config;
  /** Where account events are posted (signed, retried through the outbox): what hook_user_* code did on the site. */
  webhooks: WebhookConfig[];
}

export interface WebhookConfig {
  /** http(s) URL the events are POSTed to. */
  url: string;
  /** Key of the HMAC-SHA256 signature in `X-Gatehouse-Signature` (at least 16 characters). */
  secret: string;
  /** Only these events (audit event names); absent or empty = all. */
  events?: string[];
}

export interface ConnectionLimits {
  /** Whole request (headers and body) must arrive within this, ms (node's requestTimeout). */
  requestTimeoutMs: number;
  /** Request headers must arrive within this, ms (node's headersTimeout). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this, ms. */
  keepAliveTimeoutMs: number;
  /** Open connections at most (further ones are closed at once); 0 = no limit. */
  max: number;
  /** Open connections from one client address at most; 0 = no limit. */
  perIp: number;
}

export interface ParserLimits {
  /** Deepest nesting of arrays/objects/elements. */
  maxDepth: number;
  /** Values (keys, elements, list items) in one body. */
  maxItems: number;
  /** Attributes in one XML body. */
  maxAttributes: number;
  /** Largest XML body, bytes (XML costs far more to parse than JSON; a user resource needs a few KB). */
  maxXmlBytes: number;
  /** Longest single value as sent (a JSON string, a form value), characters: a user resource's are short. */
  maxValueChars: number;
}

export interface RetentionConfig {
  /** Sent mails are kept this many days (their one-time login links redacted at once); 0 = kept forever. */
  outboxSentDays: number;
  /** Mails that failed for good are kept this many days; 0 = kept forever. */
  outboxFailedDays: number;
  /** Registrations accepted from one client address per window; 0 = no limit. */
  registrationsPerIp: number;
  /** That window, seconds. */
  registrationWindow: number;
}

export interface HashingConfig {
  /** Hashes computed at once (GATEHOUSE_HASH_THREADS); null = one less than the cores, at least 1. */
  threads: number | null;
  /** Hashes waiting at most (GATEHOUSE_HASH_QUEUE); when full, login and register answer 503 + Retry-After. */
  queue: number;
}

export interface Drupal8Config {
  /** Serve /user/login?_format=json and the other Drupal 8+ user endpoints (docs/drupal8.md). */
  enabled: boolean;
  /** Prefix of their paths below the base path: '' = Drupal's own paths (/user/login …), `d8` = /d8/user/login. */
  path: string;
  /** Whose wording the answers reproduce: Drupal 11.4 (default) or 11.3 and earlier. */
  version: '11.4' | '11.3';
  /**
   * Who holds `restful post user_registration` besides the roles granted it: `user_register` (default, a site
   * imported from Drupal 7) lets anonymous visitors register when user_register lets visitors register;
   * `permission` only the roles that have it.
   */
  registration: 'user_register' | 'permission';
}

export type WebPageGroup = 'account' | 'console';
export const WEB_PAGE_GROUPS: readonly WebPageGroup[] = ['account', 'console'];

export interface CorsConfig {
  /** Origins allowed to call the server from a browser (`https://app.example.com`, `capacitor://localhost`, `null`); `*` = any. */
  origins: string[];
  /** Allow cookies (the Drupal session) on cross-origin calls: Access-Control-Allow-Credentials. */
  credentials: boolean;
}

export interface LegacyConfig {
  /** Where requests Gatehouse does not serve are forwarded (scheme://host[:port]); null = no forwarding. */
  origin: string | null;
  /** The legacy site's database (mysql://user:pass@host:port/db or postgres://…); null = sessions and accounts not shared. */
  databaseUrl: string | null;
  /** Connect/answer timeout towards the legacy origin and database, ms. */
  timeoutMs: number;
  /** `unserved`: everything Gatehouse does not serve goes to the origin; `none`: nothing is forwarded. */
  forward: 'unserved' | 'none';
  /** How often failed write-backs to the legacy database are retried, ms. */
  retryIntervalMs: number;
}

export const ALL_FORMATTERS = ['xml', 'json', 'jsonp', 'php', 'bencode'];
export const ALL_PARSERS = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', 'text/xml'];

export function defaultEndpoint(): EndpointConfig {
  return {
    name: 'rest', path: 'rest', formatters: [...ALL_FORMATTERS], parsers: [...ALL_PARSERS],
    resources: { user: true, system: true }, loginApiVersion: '1.0', defaultFormat: 'json',
  };
}

/** Drupal 7's own defaults where a site has not said otherwise. */
export const DRUPAL_SITE_DEFAULTS: Readonly<Record<string, unknown>> = {
  site_name: 'Gatehouse',
  site_mail: 'admin@example.com',
  user_register: 2,
  user_email_verification: true,
  user_signatures: 0,
  user_pictures: 0,
  user_password_reset_timeout: 86400,
  user_mail_status_activated_notify: true,
  user_mail_status_blocked_notify: false,
  user_mail_status_canceled_notify: false,
  user_cancel_method: 'user_cancel_block',
  user_failed_login_ip_limit: 50,
  user_failed_login_ip_window: 3600,
  user_failed_login_user_limit: 5,
  user_failed_login_user_window: 21600,
  user_failed_login_identifier_uid_only: false,
  services_flood_control_enabled: true,
  services_user_index_page_size: 20,
  date_default_timezone: 'UTC',
  configurable_timezones: 1,
  filter_default_format: 'filtered_html',
};

export function defaultConfig(): Config {
  return {
    host: '127.0.0.1', port: 8080, baseUrl: null, databaseUrl: 'sqlite:./data/gatehouse.sqlite', cookieDomain: null,
    cookieLifetime: 2_000_000, sessionMaxIdle: 200_000, trustedProxies: [], hashSalt: null,
    endpoints: [defaultEndpoint()], siteDefaults: {}, mailDir: './data/mail', publicFilesDir: './data/files', mailWorker: true, logLevel: 'info', bodyLimit: 1_048_576,
    metricsPath: '/metrics', metricsPort: null, gcInterval: 3600, shutdownTimeout: 30,
    legacy: { origin: null, databaseUrl: null, timeoutMs: 10_000, forward: 'unserved', retryIntervalMs: 5_000 },
    cors: { origins: [], credentials: true },
    webPages: null,
    trustedHosts: [], security: 'compat',
    connections: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, max: 10_000, perIp: 256 },
    parserLimits: { maxDepth: 32, maxItems: 1_000, maxAttributes: 256, maxXmlBytes: 65_536, maxValueChars: 65_536 },
    retention: { outboxSentDays: 30, outboxFailedDays: 90, registrationsPerIp: 500, registrationWindow: 3600 },
    hashing: { threads: null, queue: 64 },
    drupal8: { enabled: true, path: '', version: '11.4', registration: 'user_register' },
    webhooks: [],
  };
}
