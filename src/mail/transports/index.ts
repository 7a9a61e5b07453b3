/** Transport selection from the environment (the standalone `mail-worker` command, or the server). */
import { createEmlFolderTransport } from './eml-folder.js';
import { createSmtpTransport, smtpOptionsFromUrl } from './smtp.js';
import type { MailTransport } from './transport.js';

export { CaptureTransport, createCaptureTransport } from './capture.js';
export { createEmlFolderTransport, emlFileName } from './eml-folder.js';
export { createSmtpTransport, smtpOptionsFromUrl, type SmtpOptions } from './smtp.js';
export { type MailTransport, type SendResult, type TransportMessage, TransportError } from './transport.js';

/**
 * `GATEHOUSE_SMTP_URL` (smtp://user:pass@host:port, smtps://…) wins; otherwise `GATEHOUSE_MAIL_DIR`
 * (a folder for .eml files); otherwise `fallbackMailDir` (e.g. the configuration's mailDir); else null.
 */
export function transportFromEnv(env: NodeJS.ProcessEnv = process.env, fallbackMailDir: string | null = null): MailTransport | null {
  const url = env.GATEHOUSE_SMTP_URL?.trim();
  if (url) return createSmtpTransport(smtpOptionsFromUrl(url));
  const dir = env.GATEHOUSE_MAIL_DIR?.trim() || fallbackMailDir;
  if (dir) return createEmlFolderTransport(dir);
  return null;
}

/** The transport description for logs, without credentials. */
export function describeTransportEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.GATEHOUSE_SMTP_URL?.trim();
  if (url) {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  }
  return env.GATEHOUSE_MAIL_DIR?.trim() ? `eml folder ${env.GATEHOUSE_MAIL_DIR.trim()}` : 'none';
}
