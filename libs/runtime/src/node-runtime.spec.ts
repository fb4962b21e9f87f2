import { explainNodeRuntime } from './node-runtime';

describe('explainNodeRuntime', () => {
  const logger = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() });

  it('explains the AWS SDK warning on Node.js 20', () => {
    const log = logger();
    explainNodeRuntime(log, 'v20.20.2');
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0][0]).toMatch(
      /v20\.20\.2 reached its end of life.*Node\.js 24 LTS/,
    );
  });

  it('says nothing on Node.js 22 and later', () => {
    for (const version of ['v22.12.0', 'v24.22.3']) {
      const log = logger();
      explainNodeRuntime(log, version);
      expect(log.warn).not.toHaveBeenCalled();
    }
  });
});
