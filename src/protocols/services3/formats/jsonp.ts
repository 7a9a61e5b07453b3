/**
 * The `jsonp` response format (ServicesJSONPFormatter): the json output, wrapped as `cb(<json>);` when the
 * query has a `callback` parameter. The callback keeps only `[A-Za-z0-9_.-]` and is cut to 60 characters; an
 * empty (or fully stripped) callback still wraps, giving `(<json>);`, as PHP's isset() test does.
 */
import { renderJson } from './json.js';
import type { Formatter } from './index.js';

/** The sanitised callback name, or null when the query has no string `callback`. */
export function jsonpCallback(query: Record<string, unknown>): string | null {
  const raw = query.callback;
  if (typeof raw !== 'string') return null;
  return raw.replace(/[^A-Za-z0-9_\-.]/g, '').slice(0, 60);
}

export function renderJsonp(data: unknown, query: Record<string, unknown>): string {
  const json = renderJson(data);
  const callback = jsonpCallback(query);
  return callback === null ? json : `${callback}(${json});`;
}

export const jsonpFormatter: Formatter = {
  name: 'jsonp',
  mimeTypes: ['text/javascript', 'application/javascript'],
  render: (data, ctx) => renderJsonp(data, ctx.query),
};
