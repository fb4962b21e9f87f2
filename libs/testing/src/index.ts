export { eventBusContract, CONTRACT_RETRY_POLICY } from './event-bus.contract';
export * from './engines';
