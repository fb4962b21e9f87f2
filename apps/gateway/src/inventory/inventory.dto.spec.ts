import { skuParamSchema } from './inventory.dto';

/** What the SKU path parameter of the admin stock routes accepts, after Fastify decoded it. */
describe('the SKU path parameter', () => {
  const accepts = (sku: string) => skuParamSchema.safeParse({ sku }).success;

  it('takes every SKU a seller may write, `/` included (sent as %2F, decoded by the router)', () => {
    for (const sku of [
      'NOR-000001-1',
      'ab-123_x.2',
      'nw/trail/42',
      decodeURIComponent('AB%2F12'),
    ]) {
      expect(accepts(sku)).toBe(true);
    }
  });

  it('refuses what no product can have as a SKU', () => {
    for (const sku of ['AB 12', 'AB\n12', '..', 'A'.repeat(65), '-AB12']) {
      expect(accepts(sku)).toBe(false);
    }
  });
});
