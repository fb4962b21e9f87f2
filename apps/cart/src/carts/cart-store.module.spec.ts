import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@mercato/config';
import { PersistenceModule } from '@mercato/persistence';
import { startTestDynamo, type TestDynamo } from '@mercato/testing';
import { cartStoreSettings } from '../cart.config';
import { DAY_MS } from './cart.model';
import { CartStore } from './cart-store';
import { CartStoreModule } from './cart-store.module';
import { DynamoCartStore } from './dynamodb-cart-store';

describe('cart store configuration', () => {
  it('defaults to DynamoDB when the shared cache is in memory (the embedded store)', () => {
    expect(cartStoreSettings({ MERCATO_CACHE: 'memory' })).toEqual({
      store: 'dynamodb',
      idle: { guestMs: 7 * DAY_MS, customerMs: 30 * DAY_MS },
    });
  });

  it('defaults to Redis, under the cache key prefix, when the shared cache is Redis (the stack)', () => {
    expect(
      cartStoreSettings({
        MERCATO_CACHE: 'redis',
        REDIS_URL: 'redis://localhost:6379',
        CACHE_KEY_PREFIX: 'shop-a:',
        CART_IDLE_DAYS_GUEST: '2',
      }),
    ).toEqual({
      store: 'redis',
      redisUrl: 'redis://localhost:6379',
      keyPrefix: 'shop-a:',
      idle: { guestMs: 2 * DAY_MS, customerMs: 30 * DAY_MS },
    });
  });

  it('follows CART_STORE over the cache, and refuses redis without REDIS_URL', () => {
    expect(
      cartStoreSettings({
        MERCATO_CACHE: 'redis',
        REDIS_URL: 'redis://r:6379',
        CART_STORE: 'dynamodb',
      }).store,
    ).toBe('dynamodb');
    expect(() => cartStoreSettings({ CART_STORE: 'redis' })).toThrow(/REDIS_URL/);
    expect(() => cartStoreSettings({ CART_STORE: 'memory' })).toThrow(/CART_STORE/);
    expect(() => cartStoreSettings({ CART_IDLE_DAYS_GUEST: '0' })).toThrow(/CART_IDLE_DAYS_GUEST/);
  });
});

describe('CartStoreModule', () => {
  let dynamo: TestDynamo;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await dynamo.close();
  });

  it('provides the DynamoDB adapter on the embedded defaults, its table created on start', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ MERCATO_CACHE: 'memory' }),
        PersistenceModule.forRoot(dynamo.config),
        CartStoreModule,
      ],
    }).compile();
    await moduleRef.init();
    const store = moduleRef.get(CartStore);

    expect(store).toBeInstanceOf(DynamoCartStore);
    const created = await store.create({
      cartId: 'module-cart',
      owner: { kind: 'guest' },
      region: 'EU',
    });
    expect(created.outcome).toBe('created');
    expect(await store.get('module-cart')).toMatchObject({ cartId: 'module-cart', version: 1 });
  });
});
