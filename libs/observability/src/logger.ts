import type { LoggerService } from '@nestjs/common';
import pino, { type Logger, type LevelWithSilent } from 'pino';
import { Correlation } from './correlation';

/**
 * Structured JSON logs (pino) for Nest and our own code. Every line carries the service name
 * and, inside a request or message handler, the correlation id of the action being served.
 */
export function createRootLogger(service: string, level: LevelWithSilent): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const id = Correlation.currentId();
      return id ? { correlationId: id } : {};
    },
  });
}

/** Adapts a pino logger to Nest's LoggerService so framework logs are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    const ctx =
      context ?? (stackOrContext && !stackOrContext.includes('\n') ? stackOrContext : undefined);
    const stack = stackOrContext && stackOrContext.includes('\n') ? stackOrContext : undefined;
    if (message instanceof Error) {
      this.root.error({ context: ctx, err: message }, message.message);
      return;
    }
    if (typeof message === 'object' && message !== null) {
      this.write('error', message, ctx);
      return;
    }
    this.root.error({ context: ctx, stack }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(
    level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    context?: string,
  ) {
    if (typeof message === 'object' && message !== null) {
      this.root[level]({ context, ...(message as object) });
    } else {
      this.root[level]({ context }, String(message));
    }
  }
}
