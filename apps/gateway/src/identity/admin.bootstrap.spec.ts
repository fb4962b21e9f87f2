import { Logger, UnauthorizedException } from '@nestjs/common';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoLifecycle } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { AdminBootstrap } from './admin.bootstrap';
import { CustomersRepository } from './customers.repository';
import { IdentityService } from './identity.service';
import {
  FakeClock,
  fastHasher,
  testConfig,
  testTokens,
} from '../../test/support/identity-test-support';
import { CUSTOMERS_TABLE, IDENTITY_TABLES } from './identity.tables';

/** Runs the bootstrap's work at once (DynamoDB is up in these tests). */
const dynamoUp = { runWhenReady: (_: string, work: () => Promise<void>) => work() };

describe('AdminBootstrap (on dynalite)', () => {
  let dynamo: TestDynamo;
  let identity: IdentityService;
  let lines: string[];
  let n = 0;
  let email: string;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dynamo = await startTestDynamo(IDENTITY_TABLES);
  });
  afterAll(() => dynamo.close());

  beforeEach(async () => {
    const { tokens } = await testTokens();
    const repository = new CustomersRepository(dynamo.doc, dynamo.tables);
    identity = new IdentityService(repository, fastHasher(), tokens, new FakeClock());
    await identity.onModuleInit();
    lines = [];
    const record = (message: unknown) => void lines.push(String(message));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(record);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(record);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(record);
    email = `root.${++n}.${Date.now()}@example.com`;
  });
  afterEach(() => jest.restoreAllMocks());

  /** Starts the bootstrap the way the gateway does, with `env` over the test config. */
  const start = async (env: Record<string, string | undefined>): Promise<string[]> => {
    const config = { ...testConfig({ MERCATO_ADMIN_EMAIL: email }), ...env } as ReturnType<
      typeof testConfig
    >;
    if (env.MERCATO_ADMIN_RESET) config.MERCATO_ADMIN_RESET = env.MERCATO_ADMIN_RESET === 'true';
    const before = lines.length;
    await new AdminBootstrap(
      identity,
      dynamoUp as unknown as DynamoLifecycle,
      config,
    ).onApplicationBootstrap();
    return lines.slice(before);
  };
  const generatedIn = (logged: string[]): string[] =>
    logged.flatMap((line) => /generated password is (\S+) /.exec(line)?.[1] ?? []);
  const storedText = async (): Promise<string> =>
    JSON.stringify(
      (await dynamo.doc.send(new ScanCommand({ TableName: dynamo.tables.of(CUSTOMERS_TABLE) })))
        .Items,
    );

  it('without MERCATO_ADMIN_PASSWORD generates a password, prints it once, stores only its hash', async () => {
    const first = await start({ MERCATO_ADMIN_PASSWORD: undefined });
    const [password] = generatedIn(first);
    expect(generatedIn(first)).toHaveLength(1);
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.filter((line) => line.includes(password))).toHaveLength(1);
    await expect(identity.login(email, password)).resolves.toHaveProperty('accessToken');
    expect(await storedText()).not.toContain(password);

    const second = await start({ MERCATO_ADMIN_PASSWORD: undefined });
    expect(generatedIn(second)).toEqual([]);
    expect(second.join('\n')).toContain('already exists');
    await expect(identity.login(email, password)).resolves.toHaveProperty('accessToken');
  });

  it('generates a different password for each new store', async () => {
    const [one] = generatedIn(await start({ MERCATO_ADMIN_PASSWORD: undefined }));
    email = `other.${Date.now()}@example.com`;
    const [two] = generatedIn(await start({ MERCATO_ADMIN_PASSWORD: undefined }));
    expect(one).not.toEqual(two);
  });

  it('uses MERCATO_ADMIN_PASSWORD when set, and never logs it', async () => {
    const logged = await start({ MERCATO_ADMIN_PASSWORD: 'chosen admin password' });
    expect(logged.join('\n')).not.toContain('chosen admin password');
    expect(generatedIn(logged)).toEqual([]);
    await expect(identity.login(email, 'chosen admin password')).resolves.toHaveProperty(
      'accessToken',
    );
  });

  it('does not change an existing admin password from the configuration alone', async () => {
    await start({ MERCATO_ADMIN_PASSWORD: 'first admin password' });
    await start({ MERCATO_ADMIN_PASSWORD: 'second admin password' });
    await expect(identity.login(email, 'first admin password')).resolves.toBeDefined();
    await expect(identity.login(email, 'second admin password')).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
  });

  it('MERCATO_ADMIN_RESET=true sets MERCATO_ADMIN_PASSWORD and ends the old sessions', async () => {
    const [old] = generatedIn(await start({ MERCATO_ADMIN_PASSWORD: undefined }));
    const session = await identity.login(email, old);
    const logged = await start({
      MERCATO_ADMIN_PASSWORD: 'the new admin password',
      MERCATO_ADMIN_RESET: 'true',
    });
    expect(logged.join('\n')).toContain('password reset');
    expect(logged.join('\n')).toContain('remove it');
    await expect(identity.login(email, old)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(identity.login(email, 'the new admin password')).resolves.toBeDefined();
    await expect(identity.refresh(session.refreshToken)).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
  });

  it('MERCATO_ADMIN_RESET=true without a password prints a new generated one, once', async () => {
    await start({ MERCATO_ADMIN_PASSWORD: 'forgotten admin password' });
    const logged = await start({ MERCATO_ADMIN_PASSWORD: undefined, MERCATO_ADMIN_RESET: 'true' });
    const [fresh] = generatedIn(logged);
    expect(generatedIn(logged)).toHaveLength(1);
    await expect(identity.login(email, fresh)).resolves.toBeDefined();
    await expect(identity.login(email, 'forgotten admin password')).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
    expect(await storedText()).not.toContain(fresh);
  });

  it('never resets the password of an account that is not an admin', async () => {
    await identity.register({
      email,
      password: 'customer password 1',
      name: 'Not Admin',
      region: 'us',
    });
    const logged = await start({
      MERCATO_ADMIN_PASSWORD: 'takeover password 1',
      MERCATO_ADMIN_RESET: 'true',
    });
    expect(logged.join('\n')).toContain('non-admin account');
    await expect(identity.login(email, 'customer password 1')).resolves.toBeDefined();
    await expect(identity.login(email, 'takeover password 1')).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
  });
});
