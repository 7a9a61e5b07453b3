import type { EndpointConfig } from '../../../config/config.js';
import { SessionHandle } from '../../session/session-handle.js';
import type { AuthenticationCheck, AuthenticationPlugin, AuthenticationRequest } from './authentication-plugin.js';
import { sessionAuthentication } from './session-authentication.js';

/** Every authentication plugin Gatehouse has, by the name endpoints use. Add new ones here. */
export const AUTHENTICATION_PLUGINS: ReadonlyMap<string, AuthenticationPlugin> = new Map([
  [sessionAuthentication.name, sessionAuthentication],
  // Services' own machine name for its session authentication (services_endpoint.authentication).
  ['services', sessionAuthentication],
]);

/** The names an endpoint enables: `authentication`, else the older `sessionAuth` flag (true = ['session']). */
export function authenticationNames(endpoint: Pick<EndpointConfig, 'authentication' | 'sessionAuth'>): string[] {
  if (endpoint.authentication !== undefined) return [...endpoint.authentication];
  return endpoint.sessionAuth === false ? [] : ['session'];
}

export class UnknownAuthenticationError extends Error {}

/** The endpoint's plugins, in its order; an unknown name is a configuration error. */
export function authenticationPlugins(endpoint: Pick<EndpointConfig, 'name' | 'authentication' | 'sessionAuth'>): AuthenticationPlugin[] {
  return [...new Set(authenticationNames(endpoint).map((name) => {
    const plugin = AUTHENTICATION_PLUGINS.get(name);
    if (!plugin) throw new UnknownAuthenticationError(`endpoint "${endpoint.name}": unknown authentication "${name}" (known: ${[...AUTHENTICATION_PLUGINS.keys()].join(', ')})`);
    return plugin;
  }))];
}

/** The first plugin that identifies the request gives the session; without any, the request is anonymous. */
export async function authenticateRequest(plugins: AuthenticationPlugin[], r: AuthenticationRequest): Promise<SessionHandle> {
  for (const plugin of plugins) {
    const session = await plugin.authenticate(r);
    if (session) return session;
  }
  return SessionHandle.anonymous(r.core, r.cookie, r.hostname);
}

/** Every enabled plugin checks the request (Services runs each method's authenticate_call). */
export function checkRequest(plugins: AuthenticationPlugin[], c: AuthenticationCheck): void {
  for (const plugin of plugins) plugin.check(c);
}
