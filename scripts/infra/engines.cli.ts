import { ENDPOINTS_FILE } from './paths';
import {
  engineStatuses,
  EnginesStartInterrupted,
  formatFiles,
  formatTable,
  parseEngineNames,
  startEngines,
  stopEngines,
} from './engines';

/** `engines.sh start|stop|status [engine…]`: the harness from a shell. */
async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const names = parseEngineNames(rest);
  const log = (line: string): void => console.log(`[engines] ${line}`);
  switch (command) {
    case 'start': {
      const began = Date.now();
      const started = await startEngines(names, log);
      console.log(`\n${formatTable(started)}\n${formatFiles(started)}\n`);
      console.log(
        `Endpoints in ${ENDPOINTS_FILE} (${((Date.now() - began) / 1000).toFixed(1)}s in all)`,
      );
      return 0;
    }
    case 'stop':
      await stopEngines(names, log);
      console.log(formatTable(await engineStatuses(names)));
      return 0;
    case 'status': {
      const statuses = await engineStatuses(names);
      console.log(`${formatTable(statuses)}\n${formatFiles(statuses)}`);
      return statuses.every((s) => s.state === 'running') ? 0 : 3;
    }
    default:
      console.error('usage: engines.sh start|stop|status [kafka|redis|dynamodb|opensearch …]');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[engines] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof EnginesStartInterrupted ? 130 : 1);
  },
);
