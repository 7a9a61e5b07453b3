/**
 * The foundation's benchmark: GET /services/session/token with a session cookie and GET /rest/user/1.json as
 * admin, each against a bare node:http server measured in the same run, printed as ratios.
 * Goals: ≥ 0.6 (token) and ≥ 0.4 (retrieve) of bare node. Run: npm run build && npm run bench
 */
import { adminSession, measure, row, startBareNode, startGatehouse, stop } from './lib.js';

const bare = await startBareNode();
const gate = await startGatehouse();
try {
  const { cookie } = await adminSession(gate.url);
  const reference = await measure(bare.url);
  const token = await measure(`${gate.url}/services/session/token`, { cookie });
  const retrieve = await measure(`${gate.url}/rest/user/1.json`, { cookie });
  const reference2 = await measure(bare.url);
  const ref = { ...reference, rps: (reference.rps + reference2.rps) / 2 };
  console.log('SQLite, one process, 20 connections, same run (ratio = req/s ÷ bare node req/s):');
  console.log(row('bare node:http', ref));
  console.log(row('GET /services/session/token (cookie)', token, ref));
  console.log(row('GET /rest/user/1.json (admin)', retrieve, ref));
  console.log(`ratios: token ${(token.rps / ref.rps).toFixed(2)} (goal ≥ 0.6), retrieve ${(retrieve.rps / ref.rps).toFixed(2)} (goal ≥ 0.4)`);
} finally {
  await stop(gate.child);
  await stop(bare.child);
}
