/**
 * Webhooks ride the outbox: a row whose sender is WEBHOOK_SENDER and whose recipient is a configured URL is
 * POSTed there instead of mailed — the same claims, retries with backoff, `dead` after the last attempt and
 * `gatehouse mail retry` as any mail. Each delivery is signed with the webhook's secret:
 *   X-Gatehouse-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Gatehouse-Timestamp>.<body>")>
 * A receiver recomputes it over the raw body, compares in constant time and refuses old timestamps; the
 * delivery id (X-Gatehouse-Delivery) stays the same on every attempt, so retries can be recognised.
 */
import { createHmac } from 'node:crypto';
import type { WebhookConfig } from '../../config/config.js';
import { WEBHOOK_SENDER } from '../../core/audit/account-events.js';
import { type MailTransport, TransportError } from './transport.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The signature a receiver must find: hex HMAC-SHA256 of `${timestamp}.${body}` under the webhook's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** `mail` for mails, the configured webhooks for webhook rows. Without webhooks, `mail` itself. */
export function withWebhooks(mail: MailTransport, hooks: readonly WebhookConfig[], timeoutMs = WEBHOOK_TIMEOUT_MS): MailTransport {
  if (hooks.length === 0) return mail;
  const byUrl = new Map(hooks.map((h) => [h.url, h]));
  return {
    name: mail.name,
    description: `${mail.description}; account events to ${hooks.length} webhook${hooks.length === 1 ? '' : 's'}`,
    check: () => mail.check(),
    close: () => mail.close(),
    async send(message) {
      if (message.sender !== WEBHOOK_SENDER) return mail.send(message);
      const hook = byUrl.get(message.to);
      if (!hook) throw new TransportError(`no webhook is configured for ${message.to} any more`, true);
      const timestamp = String(Math.floor(Date.now() / 1000));
      let status: number;
      try {
        const res = await fetch(hook.url, {
          method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), body: message.text,
          headers: {
            'Content-Type': 'application/json', 'User-Agent': 'Gatehouse-Webhook', 'X-Gatehouse-Event': message.subject,
            'X-Gatehouse-Delivery': message.messageId, 'X-Gatehouse-Timestamp': timestamp, 'X-Gatehouse-Signature': webhookSignature(hook.secret, timestamp, message.text),
          },
        });
        await res.arrayBuffer().catch(() => undefined);
        status = res.status;
      } catch (err) {
        throw new TransportError(`webhook ${hook.url}: ${(err as Error).message}`, false, undefined, { cause: err });
      }
      if (status < 200 || status >= 300) throw new TransportError(`webhook ${hook.url} answered ${status}`, false, status);
      return { response: `webhook ${status}` };
    },
  };
}
