import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  call,
  startEmbeddedStore,
  type RunningStore,
  STORE_CLOSE_MS,
} from './support/embedded-store';
import { ADMIN_ENV } from './support/test-admin';

/**
 * docs/api.md and the OpenAPI document at /docs-json describe one API: every route the
 * document has is in docs/api.md's tables, every route those tables list outside "Planned" is
 * in the document, and the operations endpoints (which the document leaves out) answer.
 */
type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const OPERATIONS_HEADING = '## Operations endpoints';
const PLANNED_HEADING = '## Planned';

interface DocumentedRoutes {
  /** `METHOD /path` of the API tables before "Planned", operations endpoints excluded. */
  api: string[];
  /** `METHOD /path` of the operations endpoints table. */
  operations: string[];
  /** `METHOD /path` of the Planned section. */
  planned: string[];
}

/** The routes of docs/api.md's tables: rows `| METHOD | \`/path\` | notes |`, by section. */
function documentedRoutes(markdown: string): DocumentedRoutes {
  const routes: DocumentedRoutes = { api: [], operations: [], planned: [] };
  let section: keyof DocumentedRoutes = 'api';
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      section = line.startsWith(PLANNED_HEADING)
        ? 'planned'
        : line.startsWith(OPERATIONS_HEADING)
          ? 'operations'
          : section === 'planned'
            ? 'planned'
            : 'api';
      continue;
    }
    const row = /^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`\s]+)`\s*\|/.exec(line);
    if (row) routes[section].push(`${row[1]} ${row[2]}`);
  }
  return routes;
}

function servedRoutes(document: Json): string[] {
  return Object.entries(document.paths as Json).flatMap(([path, operations]) =>
    METHODS.filter((method) => (operations as Json)[method]).map(
      (method) => `${method.toUpperCase()} ${path}`,
    ),
  );
}

describe('docs/api.md', () => {
  const markdown = readFileSync(join(__dirname, '..', 'docs', 'api.md'), 'utf8');
  const documented = documentedRoutes(markdown);
  let store: RunningStore;
  let served: string[];

  beforeAll(async () => {
    store = await startEmbeddedStore(ADMIN_ENV);
    served = servedRoutes((await call(store.baseUrl, 'GET', '/docs-json')).body);
  }, 60_000);
  afterAll(() => store?.close(), STORE_CLOSE_MS);

  it('lists routes in every section', () => {
    expect(documented.api.length).toBeGreaterThanOrEqual(20);
    expect(documented.operations).toEqual(
      expect.arrayContaining(['GET /health/live', 'GET /health/ready', 'GET /metrics']),
    );
    expect(documented.planned).toEqual(expect.arrayContaining(['GET /v1/recommendations']));
  });

  it('lists no route twice', () => {
    const all = [...documented.api, ...documented.operations, ...documented.planned];
    expect(all.filter((route, i) => all.indexOf(route) !== i)).toEqual([]);
  });

  it('lists every route of the OpenAPI document outside Planned', () => {
    expect(served.filter((route) => !documented.api.includes(route))).toEqual([]);
  });

  it('lists outside Planned only routes the OpenAPI document has', () => {
    expect(documented.api.filter((route) => !served.includes(route))).toEqual([]);
  });

  it('serves the operations endpoints it lists', async () => {
    const failing: string[] = [];
    for (const route of documented.operations) {
      const [method, path] = route.split(' ');
      const { status } = await call(store.baseUrl, method, path);
      if (status !== 200) failing.push(`${route} → ${status}`);
    }
    expect(failing).toEqual([]);
  });

  it('serves none of the Planned routes yet (a built route moves up into the tables)', async () => {
    const answered: string[] = [];
    for (const route of documented.planned) {
      const [method, template] = route.split(' ');
      const path = template.replace(/\{[^}]+\}/g, 'x-1');
      const { status, body } = await call(store.baseUrl, method, path);
      if (status !== 404 || body?.code !== 'ROUTE_NOT_FOUND') answered.push(`${route} → ${status}`);
    }
    expect(answered).toEqual([]);
  });
});
