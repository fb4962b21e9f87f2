import { createHash } from 'node:crypto';
import { PaymentErrorCode, PaymentException, isPaymentErrorCode } from './payments.exception';
import type { PaymentsClock } from './payments.clock';
import type { PaymentsRepository, StoredOutcome } from './payments.repository';

export interface IdempotencyTiming {
  /** How long the first caller holds a key before another call with it may take over. */
  leaseMs: number;
  /** How long a repeat waits for a running first call before answering "in progress". */
  waitMs: number;
  /** How often a waiting repeat looks at the key again. */
  pollMs: number;
}

/**
 * Refusals that say nothing about the arguments, only about the moment: not kept as the key's
 * outcome, so a retry with the key runs again.
 */
const TRANSIENT = new Set<PaymentErrorCode>([
  PaymentErrorCode.WriteContention,
  PaymentErrorCode.OperationInProgress,
]);

/** A digest of one operation's arguments (the key aside): what "the same arguments" means. */
export function fingerprintOf(operation: string, args: readonly (string | number)[]): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, ...args]))
    .digest('hex');
}

/**
 * Runs each idempotency key's operation once. The first call claims the key (put-if-absent) and
 * records the outcome; a repeat with the same fingerprint answers that outcome (waiting a little
 * while the first still runs); another fingerprint is refused. A caller that dies holding a key
 * loses it when its lease lapses, and the next repeat runs the operation again on the same
 * payment id; that is safe because every effect is itself keyed (put-if-absent of the payment,
 * receipts by key inside the payment).
 */
export class IdempotentCalls {
  constructor(
    private readonly repository: PaymentsRepository,
    private readonly clock: PaymentsClock,
    private readonly timing: IdempotencyTiming,
  ) {}

  async run<T>(
    key: string,
    fingerprint: string,
    paymentId: string,
    operation: (paymentId: string) => Promise<T>,
  ): Promise<T> {
    const lease = this.clock.now() + this.timing.leaseMs;
    if (await this.repository.claimKey({ key, fingerprint, paymentId, leaseUntil: lease })) {
      return this.execute(key, lease, paymentId, operation);
    }
    const deadline = Date.now() + this.timing.waitMs;
    for (;;) {
      const record = await this.repository.readKey(key);
      if (!record) throw new Error(`idempotency record ${key} vanished after it was claimed`);
      if (record.fingerprint !== fingerprint) {
        throw new PaymentException(
          PaymentErrorCode.IdempotencyKeyReused,
          `idempotency key ${key} was used before with other arguments`,
        );
      }
      if (record.state === 'done' && record.outcome) return replay<T>(record.outcome);
      const now = this.clock.now();
      if (now >= record.leaseUntil) {
        const taken = now + this.timing.leaseMs;
        if (await this.repository.moveLease(key, record.leaseUntil, taken)) {
          return this.execute(key, taken, record.paymentId, operation);
        }
        continue;
      }
      if (Date.now() >= deadline) {
        throw new PaymentException(
          PaymentErrorCode.OperationInProgress,
          `the first call with idempotency key ${key} is still running; retry with the same key`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.timing.pollMs));
    }
  }

  private async execute<T>(
    key: string,
    lease: number,
    paymentId: string,
    operation: (paymentId: string) => Promise<T>,
  ): Promise<T> {
    let outcome: StoredOutcome;
    try {
      outcome = { ok: true, value: await operation(paymentId) };
    } catch (error) {
      if (!(error instanceof PaymentException) || TRANSIENT.has(error.code)) {
        // Hand the key back at once: a retry runs again instead of waiting out the lease.
        await this.repository.moveLease(key, lease, 0).catch(() => undefined);
        throw error;
      }
      outcome = { ok: false, code: error.code, message: error.message };
    }
    if (await this.repository.finishKey(key, outcome)) return replay<T>(outcome);
    const first = await this.repository.readKey(key);
    return replay<T>(first?.outcome ?? outcome);
  }
}

function replay<T>(outcome: StoredOutcome): T {
  if (outcome.ok) return outcome.value as T;
  const code = isPaymentErrorCode(outcome.code) ? outcome.code : PaymentErrorCode.InvalidRequest;
  throw new PaymentException(code, outcome.message);
}
