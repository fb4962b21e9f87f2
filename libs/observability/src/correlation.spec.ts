import { Correlation, correlationIdFrom } from './correlation';

describe('Correlation', () => {
  afterEach(() => Correlation.usePropagation('scoped'));

  describe('scoped (the default)', () => {
    it('makes the id visible to everything the scope causes, across awaits', async () => {
      const seen = await Correlation.run(
        { correlationId: 'corr-1', causationId: 'm-1' },
        async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return Correlation.current();
        },
      );
      expect(seen).toEqual({ correlationId: 'corr-1', causationId: 'm-1' });
      expect(Correlation.currentId()).toBeUndefined();
    });
  });

  describe('explicit', () => {
    it('runs the function without a scope, so nothing is carried implicitly', async () => {
      Correlation.usePropagation('explicit');
      const result = await Correlation.run(
        { correlationId: 'corr-2', causationId: null },
        async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return { id: Correlation.currentId(), answer: 42 };
        },
      );
      expect(result).toEqual({ id: undefined, answer: 42 });
      expect(Correlation.propagation).toBe('explicit');
    });

    it('leaves no scope of an earlier run behind', async () => {
      const pending = Correlation.run({ correlationId: 'corr-3', causationId: null }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return Correlation.currentId();
      });
      Correlation.usePropagation('explicit');
      expect(await pending).toBeUndefined();
    });
  });

  it('accepts a safe caller id and replaces anything else with a new UUID', () => {
    expect(correlationIdFrom('order-7:retry.2')).toBe('order-7:retry.2');
    expect(correlationIdFrom('bad id with spaces')).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
