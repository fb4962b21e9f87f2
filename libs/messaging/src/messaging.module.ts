import {
  Global,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import {
  assertMessagingConfig,
  createMessageBus,
  type MessagingConfig,
} from './create-message-bus';
import { MESSAGE_HANDLERS, type MessageHandlerMetadata } from './message-handler.decorators';
import { MessageBus } from './message-bus';

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * Finds every provider and controller method decorated with @OnEvent / @OnRequest, registers it
 * on the bus, then starts the bus; closes the bus when the application shuts down.
 */
@Injectable()
export class MessagingExplorer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingExplorer.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly bus: MessageBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[name];
        if (typeof method !== 'function') continue;
        const handlers = Reflect.getMetadata(MESSAGE_HANDLERS, method) as
          MessageHandlerMetadata[] | undefined;
        if (!handlers?.length) continue;
        if (!wrapper.isDependencyTreeStatic()) {
          throw new Error(
            `${wrapper.name}.${name}: message handlers must live in singleton providers`,
          );
        }
        for (const handler of handlers)
          this.register(handler, instance, method as Method, `${wrapper.name}.${name}`);
      }
    }
    await this.bus.start();
  }

  // Before shutdown hooks: in-flight handlers finish while DynamoDB and other clients are open.
  async beforeApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }

  private register(
    metadata: MessageHandlerMetadata,
    instance: object,
    method: Method,
    where: string,
  ): void {
    const call = (data: unknown, envelope: unknown) => method.call(instance, data, envelope);
    if (metadata.kind === 'event') {
      this.bus.subscribe(metadata.contract, metadata.group, async (data, envelope) => {
        await call(data, envelope);
      });
      this.logger.log(`${where} handles ${metadata.contract.topic} in group ${metadata.group}`);
    } else {
      this.bus.answer(metadata.contract, (payload, envelope) => call(payload, envelope));
      this.logger.log(`${where} answers ${metadata.contract.topic}`);
    }
  }
}

/** Provides the MessageBus port (the abstract class is the token), adapter chosen by config. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(config: MessagingConfig): DynamicModule {
    assertMessagingConfig(config);
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MessageBus, useFactory: () => createMessageBus(config) },
        MessagingExplorer,
      ],
      exports: [MessageBus],
    };
  }
}
