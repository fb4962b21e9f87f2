export { eventBusContract, CONTRACT_RETRY_POLICY } from './event-bus.contract';
