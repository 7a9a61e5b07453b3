/** The audit log in the account API: the events the console shows at /admin/audit, as JSON, keyset-paged. */
import { purgeExpiredEvents } from '../../core/audit/audit-log.js';
import type { ApiOperation, JsonSchema } from './api-operation.js';

const MAX_PAGE = 500;
const DEFAULT_PAGE = 100;

const EVENT_SCHEMA: JsonSchema = {
  type: 'object', required: ['id', 'created', 'event', 'actorUid', 'actorName', 'targetUid', 'targetName', 'ip', 'detail'],
  properties: {
    id: { type: 'integer' }, created: { type: 'integer', description: 'Unix seconds.' }, event: { type: 'string' },
    actorUid: { type: 'integer', description: 'Who did it (0: a visitor).' }, actorName: { type: 'string' },
    targetUid: { type: ['integer', 'null'] }, targetName: { type: 'string' }, ip: { type: 'string' }, detail: { type: 'string' },
  },
};

export const AUDIT_OPERATIONS: ApiOperation[] = [
  {
    method: 'GET', path: '/audit', summary: 'Account events, newest first (login, failed login, registration, block, role change, …).', access: 'administer users',
    parameters: [
      { name: 'event', in: 'query', description: 'Only this event.', schema: { type: 'string', pattern: '^[a-z_]{1,64}$' } },
      { name: 'uid', in: 'query', description: 'Only events done by or to this account.', schema: { type: 'string', pattern: '^[0-9]{1,10}$' } },
      { name: 'before', in: 'query', description: 'Only events older than this id (the `next` of the page before).', schema: { type: 'string', pattern: '^[0-9]{1,12}$' } },
      { name: 'limit', in: 'query', description: `Events per page (1–${MAX_PAGE}, default ${DEFAULT_PAGE}).`, schema: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' } },
    ],
    response: {
      description: 'A page of events, and where the next one starts (null: none).',
      schema: { type: 'object', required: ['events', 'next'], properties: { events: { type: 'array', items: EVENT_SCHEMA }, next: { type: ['integer', 'null'] } } },
    },
    handler: async (call) => {
      await purgeExpiredEvents(call.audit, call.context.caller, call.core.clock.now());
      const q = call.query;
      const limit = Math.min(MAX_PAGE, q.limit ? Number(q.limit) : DEFAULT_PAGE);
      const events = await call.audit.list({ event: q.event, uid: q.uid ? Number(q.uid) : undefined, before: q.before ? Number(q.before) : undefined, limit });
      return { events, next: events.length === limit ? events[events.length - 1].id : null };
    },
  },
];
