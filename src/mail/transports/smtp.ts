/**
 * SMTP delivery through nodemailer. One connection per message (no pool): the worker sends one row at a
 * time, and a fresh connection cannot inherit a stuck one. Every phase has a timeout (connect, greeting,
 * socket inactivity) and the whole send has an overall deadline, so a server that accepts the connection
 * and never answers cannot hold the worker.
 */
import nodemailer from 'nodemailer';
import { type MailTransport, type SendResult, type TransportMessage, TransportError, toNodemailerMessage, withDeadline } from './transport.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (smtps, usually port 465). Otherwise STARTTLS is used when offered. */
  secure?: boolean;
  auth?: { user: string; pass: string };
  /** Force this From (and envelope sender) instead of the site mail address, for relays that require it. */
  from?: string;
  /** Require STARTTLS (fail when the server does not offer it). */
  requireTLS?: boolean;
  /** Never use STARTTLS. */
  ignoreTLS?: boolean;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
  /** Our name in EHLO (default: the OS hostname, as nodemailer chooses). */
  clientName?: string;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Upper bound on one whole send (default: the sum of the three timeouts above). */
  sendTimeoutMs?: number;
}

export const SMTP_DEFAULT_TIMEOUTS = { connectionTimeoutMs: 10_000, greetingTimeoutMs: 10_000, socketTimeoutMs: 30_000 } as const;

/**
 * `smtp://user:pass@host:port` (STARTTLS when offered, port 25 by default) or `smtps://…` (implicit TLS,
 * port 465). Query parameters: `requireTLS`, `ignoreTLS`, `rejectUnauthorized=false`, `from`, `name`,
 * `timeout` (socket inactivity, ms).
 */
export function smtpOptionsFromUrl(url: string): SmtpOptions {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`not an SMTP URL: ${u.protocol}`);
  const secure = u.protocol === 'smtps:';
  const q = u.searchParams;
  const bool = (name: string): boolean | undefined => (q.has(name) ? !/^(0|false|no)$/i.test(q.get(name) ?? '') : undefined);
  const opts: SmtpOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 25,
    secure,
    requireTLS: bool('requireTLS'),
    ignoreTLS: bool('ignoreTLS'),
    rejectUnauthorized: bool('rejectUnauthorized'),
    from: q.get('from') ?? undefined,
    clientName: q.get('name') ?? undefined,
  };
  if (u.username) opts.auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  if (q.has('timeout')) opts.socketTimeoutMs = Number(q.get('timeout'));
  return opts;
}

export function createSmtpTransport(opts: SmtpOptions): MailTransport {
  const connectionTimeout = opts.connectionTimeoutMs ?? SMTP_DEFAULT_TIMEOUTS.connectionTimeoutMs;
  const greetingTimeout = opts.greetingTimeoutMs ?? SMTP_DEFAULT_TIMEOUTS.greetingTimeoutMs;
  const socketTimeout = opts.socketTimeoutMs ?? SMTP_DEFAULT_TIMEOUTS.socketTimeoutMs;
  const sendTimeout = opts.sendTimeoutMs ?? connectionTimeout + greetingTimeout + socketTimeout;
  const transporter = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure ?? false,
    auth: opts.auth,
    requireTLS: opts.requireTLS,
    ignoreTLS: opts.ignoreTLS,
    name: opts.clientName,
    tls: opts.rejectUnauthorized === false ? { rejectUnauthorized: false } : undefined,
    connectionTimeout,
    greetingTimeout,
    socketTimeout,
    dnsTimeout: connectionTimeout,
    pool: false,
  });
  return {
    name: `smtp ${opts.host}:${opts.port}`,
    description: `SMTP ${opts.host}:${opts.port} (${opts.secure ? 'implicit TLS' : opts.ignoreTLS ? 'no TLS' : opts.requireTLS ? 'STARTTLS required' : 'STARTTLS when offered'}${opts.auth ? `, login as ${opts.auth.user}` : ', no login'}${opts.from ? `, From ${opts.from}` : ''})`,
    async check(): Promise<void> {
      try {
        await withDeadline(transporter.verify(), sendTimeout, `SMTP ${opts.host}:${opts.port}`);
      } catch (e) {
        throw asTransportError(e);
      }
    },
    async send(message: TransportMessage): Promise<SendResult> {
      try {
        const info = await withDeadline(transporter.sendMail(toNodemailerMessage(message, opts.from)), sendTimeout, `SMTP ${opts.host}:${opts.port}`);
        return { response: String(info.response ?? '') };
      } catch (e) {
        throw asTransportError(e);
      }
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}

/** nodemailer errors carry `responseCode` (SMTP reply) and `code` (ECONNECTION, ETIMEDOUT, EENVELOPE, …). */
function asTransportError(e: unknown): TransportError {
  if (e instanceof TransportError) return e;
  const err = e as { message?: string; responseCode?: number; code?: string; response?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const text = [err.code, code, err.response ?? err.message].filter((x) => x !== undefined && x !== '').join(' ');
  return new TransportError(text || String(e), code !== undefined && code >= 500 && code < 600, code, { cause: e });
}
