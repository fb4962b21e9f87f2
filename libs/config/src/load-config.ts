import { z } from 'zod';

/** Raised when the environment does not satisfy the app's configuration schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Settings whose value a config error must not print. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN/i;

/**
 * Parses the environment with the app's schema and returns the typed config, or throws a
 * ConfigError listing every problem at once (a user fixes them all in one go, not one per start).
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      // A secret is never echoed: the message goes to the console and the logs.
      const shown = value === undefined || SECRET_NAME.test(name) ? '' : ` (got "${value}")`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

/** Loads config at process start; on failure prints the problems and exits with status 78 (EX_CONFIG). */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, appName: string): z.infer<S> {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${appName} cannot start. ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
