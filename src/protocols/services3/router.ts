import type { ArgumentSpec, OperationSpec, ResourceSpec } from './resource.js';

export interface ResolvedController {
  kind: 'operation' | 'action' | 'targeted_action' | 'relationship';
  name: string;
  spec: OperationSpec;
  /** Path segments as the controller's `path` arguments see them (action names included, as in Services). */
  path: string[];
}

function pathArgCounts(args: ArgumentSpec[]): { required: number; optional: number } {
  let required = 0;
  let optional = 0;
  for (const a of args) if (a.source.from === 'path') { if (a.optional) optional++; else required++; }
  return { required, optional };
}

function fits(spec: OperationSpec, n: number, offset = 0): boolean {
  const { required, optional } = pathArgCounts(spec.args);
  return n >= offset + required && n <= offset + required + optional;
}

/**
 * RESTServer::resolveController: method + path segments (after the resource name) → controller. Rules are
 * tried in Services' order and a later match overrides an earlier one. No match → null (404, never 405).
 */
export function resolveController(resource: ResourceSpec, method: string, path: string[]): ResolvedController | null {
  const n = path.length;
  const seg0 = path[0] ?? '';
  const seg1 = path[1] ?? '';
  // PHP's !empty(): "" and "0" are empty, so `user/0` has no retrieve, update, delete or targeted action.
  const id = seg0 !== '' && seg0 !== '0';
  const ops = resource.operations ?? {};
  let found: ResolvedController | null = null;
  const take = (kind: ResolvedController['kind'], name: string, spec: OperationSpec | undefined, ok: boolean) => {
    if (spec && ok) found = { kind, name, spec, path };
  };
  switch (method) {
    case 'GET':
      take('operation', 'index', ops.index, fits(ops.index ?? { args: [] } as unknown as OperationSpec, n));
      take('operation', 'retrieve', ops.retrieve, n >= 1 && id && ops.retrieve !== undefined && fits(ops.retrieve, n));
      if (n >= 2) {
        const rel = resource.relationships?.[seg1];
        take('relationship', seg1, rel, rel !== undefined && fits(rel, n, 1));
      }
      break;
    case 'PUT':
      take('operation', 'update', ops.update, n >= 1 && id && ops.update !== undefined && fits(ops.update, n));
      break;
    case 'DELETE':
      take('operation', 'delete', ops.delete, n >= 1 && id && ops.delete !== undefined && fits(ops.delete, n));
      break;
    case 'POST': {
      take('operation', 'create', ops.create, ops.create !== undefined && fits(ops.create, n));
      const action = n >= 1 ? resource.actions?.[seg0] : undefined;
      take('action', seg0, action, action !== undefined && fits(action, n, 1));
      const targeted = n >= 2 && id ? resource.targetedActions?.[seg1] : undefined;
      take('targeted_action', seg1, targeted, targeted !== undefined && fits(targeted, n, 1));
      break;
    }
    default:
      break;
  }
  return found;
}
