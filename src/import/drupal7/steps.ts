/**
 * The Drupal 7 import, step by step, in order. To import more (user fields, pictures, endpoints), write an
 * ImportStep in its own file and add it here.
 */
import { collationStep } from './collation.js';
import { endpointsStep } from './endpoints.js';
import { fieldsStep } from './fields.js';
import { logintobogganStep } from './logintoboggan.js';
import { picturesStep } from './pictures.js';
import { rolesStep } from './roles.js';
import { sequencesStep } from './sequences.js';
import { sessionsStep } from './sessions.js';
import type { ImportStep } from './step.js';
import { userRolesStep } from './user-roles.js';
import { usersStep } from './users.js';
import { variablesStep } from './variables.js';

export const DRUPAL7_STEPS: readonly ImportStep[] = [
  variablesStep,
  collationStep,
  logintobogganStep,
  rolesStep,
  usersStep,
  sequencesStep,
  userRolesStep,
  sessionsStep,
  fieldsStep,
  picturesStep,
  endpointsStep,
];
