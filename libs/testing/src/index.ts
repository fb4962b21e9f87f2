export { eventBusContract, CONTRACT_RETRY_POLICY } from './event-bus.contract';
export { cacheContract, type CacheContractOptions } from './cache.contract';
export {
  cartStoreContract,
  type CartStoreContractOptions,
  type CartStoreUnderTest,
  type ContractCart,
  type ContractCartStore,
} from './cart-store.contract';
export * from './engines';
export { productIndexContract } from './search-index.contract';
export { searchTextContract } from './search-text.contract';
export { productAtLimits } from './product-at-limits';
export { startTestDynamo, type TestDynamo } from './test-dynamo';
export {
  paymentProviderContract,
  type PaymentProviderUnderContract,
  type PaymentProviderContractOptions,
} from './payment-provider.contract';
export {
  idempotencyStoreContract,
  type IdempotencyStoreContractOptions,
  type IdempotencyStoreUnderTest,
} from './idempotency-store.contract';
export {
  orderEventStoreContract,
  type OrderEventStoreUnderContract,
} from './order-event-store.contract';
