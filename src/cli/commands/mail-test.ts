/**
 * `gatehouse mail test <to>`: checks the transport this configuration uses (GATEHOUSE_SMTP_URL, else the
 * .eml folder) and hands it one message at once, outside the outbox, then says what happened to it.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { SiteSettings } from '../../core/settings/site-settings.js';
import { validateMail } from '../../core/validation/mail.js';
import { openGatehouse } from '../../gatehouse.js';
import { formatFromHeader } from '../../mail/account-mailer.js';
import { transportFromEnv } from '../../mail/transports/index.js';

export interface MailTestResult { to: string; transport: string; delivered: boolean; response?: string; error?: string }

export async function sendTestMail(to: string): Promise<MailTestResult> {
  const config = loadConfig();
  const address = validateMail(to);
  if (address.error) throw new Error(address.error.replace(/<[^>]*>/g, ''));
  const transport = transportFromEnv(process.env, config.mailDir);
  if (!transport) throw new Error('no mail transport: set GATEHOUSE_SMTP_URL (smtp://user:pass@host:port) or GATEHOUSE_MAIL_DIR');
  const g = await openGatehouse(config);
  try {
    const settings = await SiteSettings.load(g.store.variables, config.siteDefaults);
    const domain = /@([A-Za-z0-9.-]+)$/.exec(settings.siteMail)?.[1] ?? 'localhost';
    await transport.check();
    const sent = await transport.send({
      messageId: `<gatehouse.test.${randomUUID()}@${domain}>`, from: formatFromHeader(settings.siteName, settings.siteMail), sender: settings.siteMail,
      to: address.value, subject: `Test mail from ${settings.siteName}`,
      text: `This is a test mail from ${settings.siteName}, sent by \`gatehouse mail test\`.\nTransport: ${transport.description}\n`, headers: {},
    });
    return { to: address.value, transport: transport.description, delivered: true, response: sent.response };
  } catch (err) {
    return { to: address.value, transport: transport.description, delivered: false, error: (err as Error).message };
  } finally {
    await transport.close();
    await g.close();
  }
}

export function registerMailTestCommand(mail: Command): void {
  mail.command('test <to>').description('send one test mail now through the configured transport (not the outbox) and say what happened')
    .option('--json', 'print JSON')
    .action(async (to: string, o: { json?: boolean }) => {
      const r = await sendTestMail(to);
      if (o.json) console.log(JSON.stringify(r, null, 2));
      else if (r.delivered) console.log(`${r.transport}\n${r.transport.startsWith('SMTP') ? 'handed to SMTP' : 'written'}: ${r.response ?? ''}`);
      else console.error(`${r.transport}\nfailed: ${r.error}`);
      if (!r.delivered) process.exitCode = 1;
    });
}
