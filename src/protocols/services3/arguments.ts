import { domainError } from '../../core/errors.js';
import type { Args, ArgumentSpec } from './resource.js';

export interface ArgumentSources {
  path: string[];
  query: Record<string, unknown>;
  /** The parsed body (POST/PUT), or undefined for other methods. */
  data: unknown;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * RESTServer::getControllerArgumentsFromSources: each declared argument from its source, PHP isset semantics
 * (null counts as missing), `array` types cast, and the legacy `{"<name>": {…}}` wrapper unwrapped.
 * A missing required argument is `401 Unauthorized : Missing required argument <name>`.
 */
export function mapArguments(specs: ArgumentSpec[], sources: ArgumentSources): Args {
  const args: Args = {};
  for (const spec of specs) {
    let value = valueFrom(spec, sources);
    if (value === undefined || value === null) {
      if (!spec.optional) throw domainError('missing_argument', { name: spec.name });
      value = spec.default ?? null;
    } else {
      if (spec.source.from === 'data' && spec.source.name === undefined) value = unwrapLegacy(spec.name, value);
      if (spec.type === 'array') value = castToArray(value);
    }
    args[spec.name] = value;
  }
  return args;
}

function valueFrom(spec: ArgumentSpec, s: ArgumentSources): unknown {
  const src = spec.source;
  switch (src.from) {
    case 'path': return s.path[src.index];
    case 'param': return src.name === undefined ? s.query : s.query[src.name];
    case 'data': {
      const data = s.data === undefined ? [] : s.data;
      if (src.name === undefined) return data;
      return isMap(data) ? data[src.name] : Array.isArray(data) ? (data as unknown[])[Number(src.name)] : undefined;
    }
  }
}

/** _services_arg_value: `{"account": {…}}` stands for `{…}` when it is the body's only key. */
function unwrapLegacy(name: string, value: unknown): unknown {
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === name && value[name] !== null && typeof value[name] === 'object') return value[name];
  }
  return value;
}

/** PHP's (array) cast. */
function castToArray(value: unknown): unknown {
  if (value !== null && typeof value === 'object') return value;
  return [value];
}
