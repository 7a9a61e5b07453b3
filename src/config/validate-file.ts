/** Checks a configuration file's JSON against the schema (config-schema.ts): every mistake, at once. */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { configSchema } from './config-schema.js';

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword('x-env').addKeyword('x-secret');
    validator = ajv.compile(configSchema());
  }
  return validator;
}

/** One readable line per problem, e.g. `port: must be <= 65535` or `cors: unknown key "origin"`. */
export function configFileProblems(content: unknown): string[] {
  const validate = compiled();
  if (validate(content)) return [];
  return (validate.errors ?? []).filter(useful).map(describe);
}

/** anyOf reports each branch's error and then its own: the branches say more. */
const useful = (e: ErrorObject) => e.keyword !== 'anyOf';

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath.slice(1).replace(/\//g, '.');
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    return `${where === '(top level)' ? '' : `${where}: `}unknown key "${key}"`;
  }
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where}: ${e.message ?? e.keyword}`;
}
