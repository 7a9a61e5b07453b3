/**
 * The web pages: the users' account pages and the operators' console, server-rendered, over the same core,
 * sessions and store as the API. They take Drupal's paths without `_format` (with it the paths belong to the
 * Drupal 8 dialect): a route constraint leaves those requests to other routes, or to the legacy site.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config, WebPageGroup } from '../../config/config.js';
import { WEB_PAGE_GROUPS } from '../../config/config.js';
import { auditPages } from './console-audit.js';
import { accountSettings } from './console-settings.js';
import { writeBackPage } from './console-write-backs.js';
import { accountEdit } from './account-edit.js';
import { accountPages } from './account-pages.js';
import { consoleOperations } from './console-operations.js';
import { consolePeople } from './console-people.js';
import { mySessions } from './my-sessions.js';
import { pictureFiles } from './picture-files.js';
import type { WebDeps } from './web-request.js';

/** The groups served: as configured, else all of them — none in strangler mode, where Drupal keeps its pages. */
export function servedWebPages(config: Config): readonly WebPageGroup[] {
  if (config.webPages !== null) return config.webPages;
  return config.legacy.origin ? [] : WEB_PAGE_GROUPS;
}

/** A request is for a page when its query has no `_format` (Drupal 8's REST requests always name one). */
const pageRequest = {
  name: 'webPage',
  storage() {
    const handlers = new Map<string, unknown>();
    return { get: (k: string) => (handlers.get(k) ?? null) as never, set: (k: string, v: unknown) => { handlers.set(k, v); } };
  },
  deriveConstraint: (req: FastifyRequest['raw']) => (/[?&]_format=/.test(req.url ?? '') ? 'api' : 'page'),
  mustMatchWhenDerived: false,
};

export async function webPages(app: FastifyInstance, o: WebDeps): Promise<void> {
  const groups = servedWebPages(o.config);
  if (groups.length === 0) return;
  if (!app.hasConstraintStrategy(pageRequest.name)) app.addConstraintStrategy(pageRequest);
  const route = { constraints: { webPage: 'page' } };
  const deps: WebDeps = { config: o.config, core: o.core, queries: o.queries, audit: o.audit, ...(o.writeBack ? { writeBack: o.writeBack } : {}) };
  if (groups.includes('account')) {
    accountPages(app, deps, route);
    accountEdit(app, deps, route);
    mySessions(app, deps, route);
    await pictureFiles(app, deps);
  }
  if (groups.includes('console')) {
    consolePeople(app, deps, route);
    consoleOperations(app, deps, route);
    auditPages(app, deps, route);
    accountSettings(app, deps, route);
    writeBackPage(app, deps, route);
  }
}
