import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionLimits } from '../config/config.js';

/**
 * Options for http.createServer bounding slow clients: the whole request (headers and body) must arrive
 * within `requestTimeoutMs` (node answers 408 and closes), headers within `headersTimeoutMs`, idle keep-alive
 * connections close after `keepAliveTimeoutMs`. Node checks those on `connectionsCheckingInterval` (30 s by
 * default), shortened here so short limits hold.
 */
export function serverOptions(limits: ConnectionLimits): ServerOptions {
  const shortest = Math.min(limits.requestTimeoutMs || 30_000, limits.headersTimeoutMs || 30_000);
  return {
    requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(shortest / 4))),
  };
}

/**
 * At most `max` connections open and `perIp` from one address: a connection beyond either is closed at once,
 * before anything is read from it. `onRefused` counts them.
 */
export function limitConnections(server: Server, limits: ConnectionLimits, onRefused?: (reason: 'total' | 'per-ip') => void): void {
  if (limits.max > 0) {
    server.maxConnections = limits.max;
    server.on('drop', () => onRefused?.('total'));
  }
  if (limits.perIp <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    const count = (open.get(ip) ?? 0) + 1;
    if (count > limits.perIp) {
      onRefused?.('per-ip');
      socket.destroy();
      return;
    }
    open.set(ip, count);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip); else open.set(ip, left);
    });
  });
}
