/**
 * `GET /gatehouse/openapi.json`: the OpenAPI 3.1 document (openapi-document.ts) for the site the request
 * reached; `GET /gatehouse/api-docs`: the same, readable by a person without a script — every path with its
 * methods, summary, parameters and what it needs.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import type { EndpointRuntime } from '../services3/endpoint.js';
import { requestSite } from '../request-site.js';
import { esc, PAGE_HEADERS } from '../web/html.js';
import { openApiDocument } from './openapi-document.js';

export const OPENAPI_PATH = '/gatehouse/openapi.json';
export const API_DOCS_PATH = '/gatehouse/api-docs';

const VERSION = (JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function registerOpenApi(app: FastifyInstance, config: Config, endpoints: readonly EndpointRuntime[]): void {
  const documentFor = (request: Parameters<typeof requestSite>[1]) => {
    const site = requestSite(config, request);
    return openApiDocument(config, endpoints, { baseUrl: site.baseUrl, cookieName: site.cookie.name }, VERSION);
  };
  app.get(OPENAPI_PATH, async (request, reply) => reply.header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(documentFor(request), null, 2)));
  app.get(API_DOCS_PATH, async (request, reply) => reply.headers(PAGE_HEADERS).send(readable(documentFor(request))));
}

type Operation = { summary?: string; description?: string; parameters?: Array<{ name: string; in: string; required?: boolean }>; security?: Array<Record<string, unknown>>; tags?: string[] };

function readable(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters ?? []).map((p) => `<code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''})`).join(', ');
      const needs = (op.security ?? []).some((s) => 'csrfToken' in s) ? 'session cookie + X-CSRF-Token' : 'session cookie where the operation needs one';
      const row = `<tr><td><code>${esc(method.toUpperCase())}</code></td><td><code>${esc(path)}</code></td><td>${esc(op.summary ?? '')}${op.description ? `<br>${esc(op.description)}` : ''}</td><td>${params || '—'}</td><td>${esc(needs)}</td></tr>`;
      const tag = op.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), row]);
    }
  }
  const sections = [...byTag].map(([tag, rows]) => `<section><h2>${esc(tag)}</h2><table><caption>${esc(tag)}: operations</caption>
<thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th><th scope="col">Parameters</th><th scope="col">Needs</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`).join('\n');
  const info = doc.info as { title: string; version: string; description: string };
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)} API</title>
<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px;text-align:left;vertical-align:top}caption{text-align:left;font-weight:bold}</style></head>
<body><main><h1>${esc(info.title)} API ${esc(info.version)}</h1><p>${esc(info.description)}</p>
<p>Machine-readable: <a href="${esc(OPENAPI_PATH)}">${esc(OPENAPI_PATH)}</a> (OpenAPI 3.1). Server: <code>${esc((doc.servers as Array<{ url: string }>)[0].url)}</code>.</p>
${sections}</main></body></html>`;
}
