import type {
  Envelope,
  EventContract,
  EventData,
  RequestContract,
  RequestOf,
  ResponseOf,
} from '@mercato/contracts';

/** Metadata key under which a method's bus subscriptions are stored (read by MessagingExplorer). */
export const MESSAGE_HANDLERS = 'mercato:messaging:handlers';

export type MessageHandlerMetadata =
  | { kind: 'event'; contract: EventContract; group: string }
  | { kind: 'request'; contract: RequestContract };

function addHandlerMetadata(method: object, metadata: MessageHandlerMetadata): void {
  const existing =
    (Reflect.getMetadata(MESSAGE_HANDLERS, method) as MessageHandlerMetadata[] | undefined) ?? [];
  Reflect.defineMetadata(MESSAGE_HANDLERS, [...existing, metadata], method);
}

/**
 * Subscribes the method to an event in a consumer group. The method's parameters are checked
 * against the contract: `(data: EventData<C>, envelope?: Envelope<EventData<C>>) => Promise<void>`.
 */
export function OnEvent<C extends EventContract>(contract: C, options: { group: string }) {
  return <M extends (data: EventData<C>, envelope: Envelope<EventData<C>>) => Promise<void>>(
    _target: object,
    _name: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    addHandlerMetadata(descriptor.value!, { kind: 'event', contract, group: options.group });
  };
}

/** Answers a request; the consumer group is the contract's owner service. The result is the reply. */
export function OnRequest<C extends RequestContract>(contract: C) {
  return <
    M extends (payload: RequestOf<C>, envelope: Envelope<RequestOf<C>>) => Promise<ResponseOf<C>>,
  >(
    _target: object,
    _name: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    addHandlerMetadata(descriptor.value!, { kind: 'request', contract });
  };
}
