/** What the outbox worker hands a transport, and what a transport promises. */
import type Mail from 'nodemailer/lib/mailer/index.js';
import { composeDrupalMessage } from '../drupal-message.js';

export interface TransportMessage {
  /** Stable per outbox row, `<…@…>`: a retried row is the same message to the receiving side. */
  messageId: string;
  /** The From header (may carry a display name: `Site <site@example.com>`). */
  from: string;
  /** Envelope sender (MAIL FROM): the bare site mail address. */
  sender: string;
  to: string;
  subject: string;
  /** Plain-text body, "\n" line ends. */
  text: string;
  /** Extra headers (X-…); structural ones are set by the transport. */
  headers: Record<string, string>;
}

export interface SendResult {
  /** Server answer or where the message went (for logs). */
  response?: string;
}

export interface MailTransport {
  readonly name: string;
  /** For operators, without credentials: what this transport does with a mail (logged at start). */
  readonly description: string;
  /**
   * Whether a mail could be handed over now (SMTP: connect, TLS, login; folder: writable); rejects with
   * the reason. Used at start, by /readyz and `gatehouse mail test`. Never sends a message.
   */
  check(): Promise<void>;
  /** Resolves once the message is accepted; rejects (preferably with TransportError) otherwise. */
  send(message: TransportMessage): Promise<SendResult>;
  close(): Promise<void>;
}

/** A failed send. `permanent` = the server refused the message itself (SMTP 5xx). */
export class TransportError extends Error {
  constructor(message: string, readonly permanent = false, readonly responseCode?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Headers a transport sets itself; copies in `headers` are ignored. */
const RESERVED = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'message-id', 'date', 'sender', 'return-path', 'mime-version', 'content-type', 'content-transfer-encoding', 'x-mailer']);

/**
 * The nodemailer message for a TransportMessage (shared by the SMTP and .eml transports): the raw bytes
 * Drupal's mail system would hand its MTA (see ../drupal-message.ts), sent as they are.
 */
export function toNodemailerMessage(m: TransportMessage, fromOverride?: string): Mail.Options {
  const headers = Object.entries(m.headers).filter(([k]) => !RESERVED.has(k.toLowerCase())).map(([k, v]): [string, string] => [k, String(v)]);
  const raw = composeDrupalMessage({
    to: m.to, subject: m.subject, from: fromOverride ?? m.from, sender: fromOverride ? null : m.sender,
    messageId: m.messageId, date: new Date(), headers, text: m.text,
  });
  return { raw, envelope: { from: fromOverride ?? m.sender, to: m.to }, disableFileAccess: true, disableUrlAccess: true };
}

/** Rejects after `ms` with a TransportError unless `promise` settles first. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError(`${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
