import {
  engineStatuses,
  EnginesStartInterrupted,
  parseEngineNames,
  startEngines,
  stopEngines,
  type EngineName,
} from './engines';

/**
 * Global setup of the `integration` Jest project: gives the *.int-spec.ts files the endpoints of
 * real engines through the environment (KAFKA_BROKERS, REDIS_URL, DYNAMODB_ENDPOINT, OPENSEARCH_URL).
 * - A variable already set is left alone (engines you run yourself).
 * - Engines started by `engines.sh start` are used as they are.
 * - Missing ones are started here (unless MERCATO_START_ENGINES=0) and stopped again in the
 *   global teardown. One that cannot be started fails the run under CI=true; elsewhere the
 *   specs that need it skip with a loud message (e.g. a machine without Java).
 * MERCATO_TEST_ENGINES (comma list, default all) limits which engines this starts.
 */
export const ENV_OF: Record<EngineName, string> = {
  kafka: 'KAFKA_BROKERS',
  redis: 'REDIS_URL',
  dynamodb: 'DYNAMODB_ENDPOINT',
  opensearch: 'OPENSEARCH_URL',
};

const say = (line: string): void => void process.stderr.write(`[engines] ${line}\n`);

export default async function setup(): Promise<void> {
  const wanted = parseEngineNames(
    (process.env.MERCATO_TEST_ENGINES ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  ).filter((name) => !process.env[ENV_OF[name]]);
  const statuses = await engineStatuses(wanted);
  const missing = statuses.filter((s) => s.state !== 'running').map((s) => s.name);
  const inCi = process.env.CI === 'true';
  const mayStart = inCi || process.env.MERCATO_START_ENGINES !== '0';
  let available = statuses.filter((s) => s.state === 'running');
  if (missing.length > 0 && mayStart) {
    say(`starting ${missing.join(', ')} for the integration tests`);
    const started: EngineName[] = [];
    const failed: string[] = [];
    for (const name of missing) {
      try {
        const [status] = await startEngines([name], say);
        if (status.state === 'started') started.push(name);
        available = [...available, status];
      } catch (error) {
        if (error instanceof EnginesStartInterrupted) {
          await stopEngines(started, say);
          throw error;
        }
        failed.push(`${name}: ${(error as Error).message}`);
      }
    }
    (globalThis as { __mercatoStartedEngines?: EngineName[] }).__mercatoStartedEngines = started;
    if (failed.length > 0) {
      const message = `could not start ${failed.join('; ')}`;
      if (inCi) {
        // Jest runs no global teardown after a failed setup: stop what this setup started.
        await stopEngines(started, say);
        throw new Error(message);
      }
      say(`${message}. The tests that need them are skipped.`);
    }
  } else if (missing.length > 0) {
    say(
      `not running: ${missing.join(', ')} (MERCATO_START_ENGINES=0); the tests that need them are skipped`,
    );
  }
  for (const status of available) {
    for (const [name, value] of Object.entries(status.endpoint)) process.env[name] ??= value;
  }
  if (available.length > 0) {
    say(`using ${available.map((s) => `${s.name} ${s.version} at ${s.address}`).join('; ')}`);
  }
}
