/**
 * Drops each message as an RFC 5322 `.eml` file into a folder (development, or a pickup directory another
 * MTA watches). The file is named after the Message-ID, so a row retried after a crash overwrites its own
 * file instead of adding a second one; it is written to a temporary name first and renamed, so a reader
 * never sees half a message.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type MailTransport, type SendResult, type TransportMessage, TransportError, toNodemailerMessage } from './transport.js';

export function emlFileName(messageId: string): string {
  return `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`;
}

export function createEmlFolderTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    name: `eml ${dir}`,
    description: `.eml files in ${path.resolve(dir)} (written to a file, not sent: set GATEHOUSE_SMTP_URL to send mail)`,
    async check(): Promise<void> {
      try {
        await fs.mkdir(dir, { recursive: true });
        await fs.access(dir, constants.W_OK);
      } catch (e) {
        throw new TransportError(`cannot write to ${dir}: ${(e as Error).message}`, false, undefined, { cause: e });
      }
    },
    async send(message: TransportMessage): Promise<SendResult> {
      try {
        const info = await composer.sendMail(toNodemailerMessage(message));
        await fs.mkdir(dir, { recursive: true });
        const file = path.join(dir, emlFileName(message.messageId));
        const tmp = `${file}.${process.pid}.tmp`;
        await fs.writeFile(tmp, info.message as Buffer);
        await fs.rename(tmp, file);
        return { response: file };
      } catch (e) {
        throw new TransportError(`cannot write .eml to ${dir}: ${(e as Error).message}`, false, undefined, { cause: e });
      }
    },
    async close(): Promise<void> {
      composer.close();
    },
  };
}
