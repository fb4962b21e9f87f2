import type { LoggerService } from '@nestjs/common';

/** The Node.js major the project is built, tested and shipped on (CI, Dockerfile). */
export const NODE_OF_RECORD = 24;
/** The oldest major that still runs it; the AWS SDK's releases from January 2027 need 22. */
export const OLDEST_NODE = 20;

/**
 * On a Node.js older than 22, says once why the AWS SDK prints a NodeVersionSupportWarning and
 * what to do, rather than silencing it: the warning is true, and the fix is the user's runtime.
 */
export function explainNodeRuntime(logger: LoggerService, version = process.version): void {
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major < 22)) return;
  logger.warn(
    `Node.js ${version} reached its end of life in April 2026. Mercato still runs on it, but ` +
      `the AWS SDK's NodeVersionSupportWarning is right: its releases from January 2027 need ` +
      `Node.js 22 or later. Node.js ${NODE_OF_RECORD} LTS is the runtime Mercato is tested and ` +
      `shipped on; install it to keep receiving SDK updates.`,
  );
}
