import type { EndpointConfig } from '../../config/config.js';
import type { AuthenticationPlugin } from './auth/authentication-plugin.js';
import { authenticationPlugins } from './auth/index.js';
import type { OperationSpec, ResourceSpec } from './resource.js';

/** An endpoint as the router sees it: its resources by URL name (aliases applied, disabled parts removed). */
export interface EndpointRuntime {
  config: EndpointConfig;
  resources: Map<string, ResourceSpec>;
  /** The endpoint's authentication plugins, in order (unknown names fail here, at start). */
  authentication: AuthenticationPlugin[];
  /** URL name of a resource (its alias, or its name). */
  urlName(resource: string): string;
}

function pick(specs: Record<string, OperationSpec> | undefined, enabled: Set<string> | null): Record<string, OperationSpec> | undefined {
  if (!specs) return undefined;
  return Object.fromEntries(Object.entries(specs).filter(([name]) => enabled === null || enabled.has(name)));
}

/** Applies an endpoint's resource settings to the declared resources (anything not enabled does not exist). */
export function buildEndpoint(config: EndpointConfig, declared: ReadonlyMap<string, ResourceSpec>): EndpointRuntime {
  const resources = new Map<string, ResourceSpec>();
  const names = new Map<string, string>();
  for (const [name, setting] of Object.entries(config.resources)) {
    const spec = declared.get(name);
    if (!spec || !setting) continue;
    const opts = setting === true ? {} : setting;
    const enabled = opts.operations ? new Set(opts.operations) : null;
    const urlName = opts.alias ?? name;
    names.set(name, urlName);
    resources.set(urlName, {
      name,
      operations: pick(spec.operations as Record<string, OperationSpec> | undefined, enabled),
      actions: pick(spec.actions, enabled),
      targetedActions: pick(spec.targetedActions, enabled),
      relationships: pick(spec.relationships, enabled),
    });
  }
  return { config, resources, authentication: authenticationPlugins(config), urlName: (r) => names.get(r) ?? r };
}
