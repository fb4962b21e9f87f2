import { Correlation } from '@mercato/observability';
import { newEnvelope, UNCORRELATED_WARNING } from './bus-support';

describe('newEnvelope', () => {
  const spec = (type: string) => ({ type, version: 1 });
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    Correlation.usePropagation('scoped');
  });

  it('takes correlation and causation from the scope of the message being handled', () => {
    const envelope = Correlation.run({ correlationId: 'corr-1', causationId: 'm-1' }, () =>
      newEnvelope(spec('test.scoped'), {}, { key: 'k' }),
    );
    expect(envelope).toMatchObject({ correlationId: 'corr-1', causationId: 'm-1', key: 'k' });
  });

  it('starts a new correlation quietly where scopes carry ids and there is none', () => {
    const envelope = newEnvelope(spec('test.unscoped'), {}, { key: 'k' });
    expect(envelope.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(warn).not.toHaveBeenCalled();
  });

  describe('in a process that carries ids explicitly', () => {
    beforeEach(() => Correlation.usePropagation('explicit'));

    it('uses the id it is given, without a warning', () => {
      const envelope = newEnvelope(spec('test.given'), {}, { key: 'k', correlationId: 'corr-2' });
      expect(envelope.correlationId).toBe('corr-2');
      expect(warn).not.toHaveBeenCalled();
    });

    it('warns once per message type that was sent without one, and still sends it', () => {
      newEnvelope(spec('test.forgotten'), {}, { key: 'a' });
      const second = newEnvelope(spec('test.forgotten'), {}, { key: 'b' });
      newEnvelope(spec('test.forgotten.too'), {}, { key: 'c' });
      expect(second.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('test.forgotten was sent'), {
        code: UNCORRELATED_WARNING,
      });
    });
  });
});
