import { PERMISSIONS } from '../auth/permissions.js';
import type { Caller, CoreDeps } from '../core-deps.js';
import { domainError } from '../errors.js';
import { can } from '../model.js';
import { type AccountListQuery, InvalidQueryError } from '../ports.js';

/** The query of Services' index operation, as its arguments arrive. */
export interface IndexArguments { page?: unknown; fields?: unknown; parameters?: unknown; pagesize?: unknown; options?: unknown }

/** Lists raw account rows the way services_resource_build_index_query does (with its quirks). */
export async function listAccounts(deps: CoreDeps, caller: Caller, args: IndexArguments): Promise<Record<string, unknown>[]> {
  const cap = caller.settings.int('services_user_index_page_size', 20);
  let pagesize = toInt(args.pagesize, cap);
  if (!can(caller.actor, PERMISSIONS.unlimitedIndex)) pagesize = Math.min(pagesize, cap);
  pagesize = Math.max(pagesize, 0);
  const page = Math.max(toInt(args.page, 0), 0);
  const fields = typeof args.fields === 'string' && args.fields.trim() !== '' && args.fields.trim() !== '*'
    ? args.fields.split(',').map((f) => f.trim()).filter(Boolean) : '*';
  const options = isMap(args.options) ? args.options : null;
  const ops = options && isMap(options.parameters_op) ? options.parameters_op : {};
  const conditions = isMap(args.parameters)
    ? Object.entries(args.parameters).map(([column, value]) => ({ column, op: String(ops[column] ?? 'IN'), values: splitCsv(String(value ?? '')) }))
    : [];
  const orderBy: AccountListQuery['orderBy'] = options === null
    ? [{ column: 'created', direction: 'DESC' }, { column: 'uid', direction: 'DESC' }]
    : isMap(options.orderby) ? Object.entries(options.orderby).map(([column, d]) => ({ column, direction: String(d).toUpperCase() === 'DESC' ? 'DESC' : 'ASC' })) : [];
  try {
    return await deps.store.accounts.list({ fields, conditions, orderBy, offset: page * pagesize, limit: pagesize });
  } catch (err) {
    if (err instanceof InvalidQueryError) {
      throw domainError('invalid_query', {}, { data: undefined });
    }
    throw err;
  }
}

function toInt(v: unknown, fallback: number): number {
  const n = typeof v === 'string' || typeof v === 'number' ? Number.parseInt(String(v), 10) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** str_getcsv: commas split, double quotes group. */
export function splitCsv(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}
