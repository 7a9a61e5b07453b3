import { type CompiledQuery, createQueryId, type Kysely, type QueryResult } from 'kysely';

/** Something Kysely can compile: any query builder. */
interface Compilable<R> { compile(): CompiledQuery<R> }

const MARK = '\u0000gatehouse:param:';

/**
 * A query of fixed shape, built and compiled by Kysely once, then run with fresh parameter values.
 *
 * Kysely builds an immutable operation tree and compiles it to SQL on every call; for the handful of
 * indexed lookups every request makes (its session, its account, the account's roles) that costs more than
 * the database does. `build` receives one placeholder per argument and uses them where the values go; the
 * SQL text and every other parameter are kept, each run swaps the placeholders for the arguments.
 * Only for queries whose SQL does not depend on the values (no `in` lists of varying length).
 */
export function precompiled<A extends readonly unknown[], R>(db: Kysely<any>, build: (...placeholders: A) => Compilable<R>): (...args: A) => Promise<QueryResult<R>> {
  let compiled: CompiledQuery<R> | null = null;
  let slots: Array<number | null> = [];
  return (...args: A) => {
    if (compiled === null) {
      const marks = args.map((_, i) => `${MARK}${i}`) as unknown as A;
      compiled = build(...marks).compile();
      slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : null));
      if (slots.filter((s) => s !== null).length !== args.length) throw new Error('precompiled: every argument must be used exactly once as a parameter');
    }
    const fixed = compiled.parameters;
    const parameters = slots.map((slot, i) => (slot === null ? fixed[i] : args[slot]));
    return db.executeQuery<R>({ ...compiled, parameters, queryId: createQueryId() });
  };
}
