/** Keeps sent messages in memory (tests). `behaviour` can delay or fail sends (throw to refuse). */
import type { MailTransport, SendResult, TransportMessage } from './transport.js';

export class CaptureTransport implements MailTransport {
  readonly name = 'capture';
  readonly description = 'kept in memory (tests)';
  readonly sent: TransportMessage[] = [];
  /** Called before a message counts as sent; throwing (or rejecting) makes the send fail. */
  behaviour: ((message: TransportMessage) => void | Promise<void>) | undefined;

  constructor(behaviour?: (message: TransportMessage) => void | Promise<void>) {
    this.behaviour = behaviour;
  }

  async send(message: TransportMessage): Promise<SendResult> {
    if (this.behaviour) await this.behaviour(message);
    this.sent.push(message);
    return { response: 'captured' };
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {}

  /** Forgets what was captured. */
  clear(): void {
    this.sent.length = 0;
  }
}

export function createCaptureTransport(behaviour?: (message: TransportMessage) => void | Promise<void>): CaptureTransport {
  return new CaptureTransport(behaviour);
}
