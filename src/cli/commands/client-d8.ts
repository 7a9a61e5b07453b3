/**
 * `gatehouse client … --dialect d8`: the same commands spoken as Drupal 8+ core REST (src/client/drupal8.ts).
 * Each entry maps a command (`login`, `user get`, …) to what the Drupal 8 client does for it.
 */
import type { NodeDrupal8Client } from '../../client/node.js';

export type D8Action = (c: NodeDrupal8Client) => Promise<unknown>;

type Opts = Record<string, unknown>;

/** Command → action; commands missing here have no Drupal 8+ counterpart. */
export const D8_COMMANDS: Record<string, (args: string[], o: Opts, pairs: (list: string[]) => Record<string, string>) => D8Action> = {
  login: (_, o) => (c) => {
    if (!o.user) throw new Error('login needs --user and --password');
    return c.login(String(o.user), String(o.password ?? ''));
  },
  logout: () => (c) => c.logout(),
  whoami: () => async (c) => ({ logged_in: await c.loginStatus() }),
  token: () => (c) => c.token(),
  register: (_, o, pairs) => (c) => c.register({ ...pairs(o.field as string[]), name: String(o.name), mail: String(o.mail), ...(o.pass !== undefined ? { pass: String(o.pass) } : {}) }),
  'user get': ([uid]) => (c) => c.getUser(uid),
  'user update': ([uid], o, pairs) => (c) => c.updateUser(uid, { ...(o.data ? (JSON.parse(String(o.data)) as Record<string, unknown>) : {}), ...pairs(o.set as string[]) }),
  'user delete': ([uid]) => (c) => c.deleteUser(uid),
  'password request': ([name]) => (c) => c.requestPassword(name),
};
