/**
 * What one request body may hold, whatever its format (config `parserLimits`): a user resource needs a few
 * dozen values a few levels deep, so bodies far beyond that are refused before the full parse builds them
 * (413 `Request body has too many … (at most N).`). Each parser counts in a cheap scan of the text.
 */
import type { ParserLimits } from '../../../config/config.js';
import { domainError, GatehouseError } from '../../../core/errors.js';

export type { ParserLimits };

export function bodyLimitError(what: string, limit: number): GatehouseError {
  return domainError('body_limit', { what, limit: String(limit) });
}

/** Counts values and levels as a scan meets them; throws at the first one past a limit. */
export class LimitCounter {
  private items = 0;
  private attributes = 0;
  constructor(private readonly limits: ParserLimits) {}

  item(): void { if (++this.items > this.limits.maxItems) throw bodyLimitError('values', this.limits.maxItems); }
  attribute(n = 1): void { if ((this.attributes += n) > this.limits.maxAttributes) throw bodyLimitError('attributes', this.limits.maxAttributes); }
  value(chars: number): void { if (chars > this.limits.maxValueChars) throw bodyLimitError('characters in one value', this.limits.maxValueChars); }
  depth(d: number): void { if (d > this.limits.maxDepth) throw bodyLimitError('levels of nesting', this.limits.maxDepth); }
}
