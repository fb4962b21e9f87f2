import { z } from 'zod';

/** The services that own topics. Topic names are `<service>.<aggregate>.<fact>.v<N>`. */
export type ServiceName =
  'gateway' | 'catalog' | 'search' | 'cart' | 'order' | 'inventory' | 'recommendation';

/** A domain event: a fact one service publishes and any number of consumer groups read. */
export interface EventContract<S extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly topic: string;
  readonly type: string;
  readonly version: number;
  readonly owner: ServiceName;
  readonly schema: S;
}

/** A request/reply message: one owner service answers it, the caller waits for the reply. */
export interface RequestContract<Q extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly kind: 'request';
  readonly topic: string;
  readonly type: string;
  readonly version: number;
  readonly owner: ServiceName;
  readonly request: Q;
  readonly response: R;
}

export type EventData<C extends EventContract> = z.infer<C['schema']>;
export type RequestOf<C extends RequestContract> = z.infer<C['request']>;
export type ResponseOf<C extends RequestContract> = z.infer<C['response']>;

const TYPE_PATTERN = /^[a-z]+(\.[a-z][a-z-]*)+$/;

function topicOf(type: string, version: number): string {
  if (!TYPE_PATTERN.test(type)) {
    throw new Error(`Contract type "${type}" must look like <service>.<aggregate>.<fact>`);
  }
  return `${type}.v${version}`;
}

export function defineEvent<S extends z.ZodType>(spec: {
  type: string;
  version: number;
  owner: ServiceName;
  schema: S;
}): EventContract<S> {
  return Object.freeze({ kind: 'event', topic: topicOf(spec.type, spec.version), ...spec });
}

export function defineRequest<Q extends z.ZodType, R extends z.ZodType>(spec: {
  type: string;
  version: number;
  owner: ServiceName;
  request: Q;
  response: R;
}): RequestContract<Q, R> {
  return Object.freeze({ kind: 'request', topic: topicOf(spec.type, spec.version), ...spec });
}

export type Contract = EventContract | RequestContract;

/** Thrown when a message does not match its contract, on send or on receipt. */
export class ContractViolation extends Error {
  constructor(
    readonly topic: string,
    readonly direction: 'send' | 'receive' | 'reply',
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `Message on ${topic} violates its contract (${direction}): ` +
        issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '),
    );
    this.name = 'ContractViolation';
  }
}

/** Parses `value` with `schema`, throwing a ContractViolation that names every bad field. */
export function validateMessage<S extends z.ZodType>(
  schema: S,
  value: unknown,
  topic: string,
  direction: ContractViolation['direction'],
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ContractViolation(
      topic,
      direction,
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}
