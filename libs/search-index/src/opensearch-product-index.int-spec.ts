import { demoSearchDocuments } from '@mercato/demo-data';
import { describeWithEngines, productIndexContract, searchTextContract } from '@mercato/testing';
import { Client } from '@opensearch-project/opensearch';
import { randomBytes } from 'node:crypto';
import { describeOpenSearchError, OpenSearchProductIndex } from './opensearch-product-index';
import { silentSearchLogger } from './search-support';

/**
 * The shared ProductIndex contract on a real OpenSearch (2.19 from scripts/infra). OPENSEARCH_URL
 * comes from the integration project's global setup (the engine harness's endpoints). Outside
 * CI a missing engine skips this file loudly; with CI=true it fails.
 */
describeWithEngines('OpenSearchProductIndex on a real cluster', ['OPENSEARCH_URL'], (env) => {
  jest.setTimeout(60_000);
  const url = env.OPENSEARCH_URL;
  const make = (prefix: string) =>
    new OpenSearchProductIndex({ url, prefix, logger: silentSearchLogger });

  beforeAll(async () => {
    // One clear failure when the cluster is away or cannot hold the product index's mappings.
    const probe = make(`mercato-probe-${randomBytes(5).toString('hex')}-`);
    try {
      await probe.ensureIndex();
    } catch (error) {
      throw new Error(
        `OpenSearch at ${url} cannot hold the product index: ${describeOpenSearchError(error)}. ` +
          'Start it with `bash scripts/infra/engines.sh start`; the `english` analyzer needs the ' +
          'analysis-common module (with lang-painless), as every full OpenSearch distribution and ' +
          'Amazon OpenSearch Service have.',
      );
    } finally {
      await probe.drop().catch(() => undefined);
      await probe.close();
    }
  });

  productIndexContract('opensearch', (prefix) => Promise.resolve(make(prefix)));
  searchTextContract('opensearch', (prefix) => Promise.resolve(make(prefix)));

  describe('OpenSearch specifics', () => {
    let index: OpenSearchProductIndex;

    beforeEach(async () => {
      index = make(`mercato-test-${randomBytes(5).toString('hex')}-`);
      await index.init();
    });

    afterEach(async () => {
      await index.drop();
      await index.close();
    });

    it('hides bulk writes until refresh', async () => {
      const [doc] = demoSearchDocuments(1);
      await expect(index.upsertMany([doc])).resolves.toEqual([]);
      // refresh_interval is 1 s: an immediate count right after the bulk sees nothing yet.
      await expect(index.count()).resolves.toBe(0);
      await index.refresh();
      await expect(index.count()).resolves.toBe(1);
    });

    /** The concrete indices behind the alias. */
    const behindAlias = async (client: Client): Promise<string[]> =>
      Object.keys((await client.indices.getAlias({ name: index.indexName })).body);

    it('keeps the documents in a timestamped concrete index behind the alias', async () => {
      const client = new Client({ node: url });
      try {
        const live = await behindAlias(client);
        expect(live).toEqual([expect.stringMatching(/-products-\d{17}$/)]);
        expect(live[0].startsWith(`${index.indexName}-`)).toBe(true);
      } finally {
        await client.close();
      }
    });

    it('deletes the old concrete index once a rebuild is complete', async () => {
      const client = new Client({ node: url });
      try {
        const [old] = await behindAlias(client);
        const rebuild = await index.beginRebuild();
        await rebuild.upsertMany(demoSearchDocuments(3));
        await rebuild.complete();
        const [live] = await behindAlias(client);
        expect(live).not.toBe(old);
        expect((await client.indices.exists({ index: old })).body).toBe(false);
        await expect(index.count()).resolves.toBe(3);
      } finally {
        await client.close();
      }
    });

    it('replaces a concrete index of the alias name left by an older version', async () => {
      const prefix = `mercato-test-${randomBytes(5).toString('hex')}-`;
      const client = new Client({ node: url });
      const legacy = make(prefix);
      try {
        await client.indices.create({ index: `${prefix}products` });
        await legacy.init();
        await expect(legacy.health()).resolves.toMatchObject({ up: true });
        const { body } = await client.indices.getAlias({ name: `${prefix}products` });
        expect(Object.keys(body)).toEqual([expect.stringMatching(/-products-\d{17}$/)]);
        await expect(legacy.count()).resolves.toBe(0);
        await expect(legacy.upsertMany(demoSearchDocuments(2))).resolves.toEqual([]);
      } finally {
        await legacy.drop();
        await legacy.close();
        await client.close();
      }
    });

    it('indexes ~5,000 demo products in bulk and reports the throughput', async () => {
      const docs = demoSearchDocuments(5_000);
      const started = process.hrtime.bigint();
      await expect(index.upsertMany(docs)).resolves.toEqual([]);
      const bulkMs = Number(process.hrtime.bigint() - started) / 1e6;
      await index.refresh();
      const visibleMs = Number(process.hrtime.bigint() - started) / 1e6;
      await expect(index.count()).resolves.toBe(docs.length);
      const bytes = Buffer.byteLength(JSON.stringify(docs));
      console.log(
        `[search-index] bulk-indexed ${docs.length} products (${(bytes / 1e6).toFixed(1)} MB JSON) ` +
          `in ${bulkMs.toFixed(0)} ms = ${Math.round(docs.length / (bulkMs / 1000))} docs/s; ` +
          `visible after refresh at ${visibleMs.toFixed(0)} ms`,
      );
    });
  });
});
