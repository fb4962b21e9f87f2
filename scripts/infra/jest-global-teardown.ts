import { stopEngines, type EngineName } from './engines';

/** Stops the engines that the global setup started (not those that were already running). */
export default async function teardown(): Promise<void> {
  const started = (globalThis as { __mercatoStartedEngines?: EngineName[] })
    .__mercatoStartedEngines;
  if (!started?.length || process.env.MERCATO_KEEP_ENGINES === '1') return;
  await stopEngines(started, (line) => void process.stderr.write(`[engines] ${line}\n`));
}
