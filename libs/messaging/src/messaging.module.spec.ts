import { defineEvent, defineRequest } from '@mercato/contracts';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { createMessageBus } from './create-message-bus';
import { InMemoryMessageBus } from './in-memory-message-bus';
import { KafkaMessageBus } from './kafka-message-bus';
import { MessageBus } from './message-bus';
import { OnEvent, OnRequest } from './message-handler.decorators';
import { MessagingModule } from './messaging.module';

const StockChanged = defineEvent({
  type: 'test.stock.changed',
  version: 1,
  owner: 'inventory',
  schema: z.object({ sku: z.string(), quantity: z.number().int() }),
});
const GetStock = defineRequest({
  type: 'test.stock.get',
  version: 1,
  owner: 'inventory',
  request: z.object({ sku: z.string() }),
  response: z.object({ sku: z.string(), quantity: z.number().int() }),
});

@Injectable()
class StockHandlers {
  readonly stock = new Map<string, number>();

  @OnEvent(StockChanged, { group: 'stock-view' })
  async onStockChanged({ sku, quantity }: { sku: string; quantity: number }): Promise<void> {
    this.stock.set(sku, quantity);
  }

  @OnRequest(GetStock)
  async getStock({ sku }: { sku: string }): Promise<{ sku: string; quantity: number }> {
    return { sku, quantity: this.stock.get(sku) ?? 0 };
  }
}

const memoryConfig = { MERCATO_BUS: 'memory', BUS_MAX_ATTEMPTS: 3, BUS_RETRY_BACKOFF_MS: 1 };

describe('MessagingModule', () => {
  it('registers decorated handlers at bootstrap, starts the bus, and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MessagingModule.forRoot(memoryConfig)],
      providers: [StockHandlers],
    })
      .setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined })
      .compile();
    const app = await moduleRef.init();
    const bus = app.get(MessageBus);
    expect(bus).toBeInstanceOf(InMemoryMessageBus);
    expect(await bus.health()).toMatchObject({ up: true });

    await bus.publish(StockChanged, { sku: 'sku-1', quantity: 4 }, { key: 'sku-1' });
    await bus.drain();
    const answer = await bus.request(GetStock, { sku: 'sku-1' });
    await app.close();

    expect(answer).toEqual({ sku: 'sku-1', quantity: 4 });
    expect(await bus.health()).toMatchObject({ up: false });
  });

  it('refuses an unknown MERCATO_BUS instead of falling back', () => {
    expect(() => MessagingModule.forRoot({ MERCATO_BUS: 'rabbitmq' })).toThrow(
      'Unknown MERCATO_BUS "rabbitmq": expected one of memory, kafka',
    );
  });
});

describe('createMessageBus', () => {
  it('builds the adapter the config names, not yet started', async () => {
    const memory = createMessageBus({ MERCATO_BUS: 'memory' });
    const kafka = createMessageBus({ MERCATO_BUS: 'kafka', KAFKA_BROKERS: ['localhost:9092'] });

    expect(memory).toBeInstanceOf(InMemoryMessageBus);
    expect(kafka).toBeInstanceOf(KafkaMessageBus);
    expect(await memory.health()).toMatchObject({ up: false });
  });

  it('needs brokers for Kafka', () => {
    expect(() => createMessageBus({ MERCATO_BUS: 'kafka' })).toThrow(/KAFKA_BROKERS/);
  });
});
