/**
 * `npm run stack`: the engines (Kafka, Redis, dynalite, OpenSearch) and the seven apps as seven
 * processes talking over Kafka. Prints a status table; Ctrl-C stops the apps, then the engines
 * it started. Data of the apps' tables lives in the dynalite server (in memory).
 */
import {
  ENGINE_NAMES,
  EnginesStartInterrupted,
  formatFiles,
  formatTable,
  readEndpoints,
  startEngines,
  stopEngines,
} from '../infra/engines';
import { startStack, type RunningStack } from './stack';

const say = (line: string): void => void process.stdout.write(`[stack] ${line}\n`);

async function main(): Promise<void> {
  say('starting engines');
  let engines;
  try {
    engines = await startEngines(ENGINE_NAMES, say);
  } catch (error) {
    // startEngines has stopped the engines it launched; those running before stay up.
    say(`could not start the engines: ${(error as Error).message}`);
    process.exit(error instanceof EnginesStartInterrupted ? 130 : 1);
  }
  const startedEngines = engines.filter((e) => e.state === 'started').map((e) => e.name);
  process.stdout.write(`${formatTable(engines)}\n${formatFiles(engines)}\n`);

  let stack: RunningStack | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping the apps');
    await stack?.stop();
    if (startedEngines.length > 0) {
      say(`stopping ${startedEngines.join(', ')}`);
      await stopEngines(startedEngines, say);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    stack = await startStack({ endpoints: readEndpoints(), log: say });
  } catch (error) {
    say(`could not start the stack: ${(error as Error).message}`);
    await stop(1);
    return;
  }
  const rows = [
    ['app', 'url', 'pid', 'log'],
    ...stack.apps.map((a) => [a.name, a.url, String(a.process.pid), a.logFile]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(
    `${rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n')}\n`,
  );
  say(
    `the store's API is at ${stack.gatewayUrl} (docs at ${stack.gatewayUrl}/docs); Ctrl-C stops everything`,
  );
  for (const app of stack.apps) {
    app.process.on('exit', (code) => {
      if (!stopping) say(`${app.name} exited with ${code}; see ${app.logFile}`);
    });
  }
}

void main();
