export * from './envelope';
export * from './contract';
export * from './common';
export * from './sku';
export * from './catalog.contracts';
export * from './inventory.contracts';
export * from './promotions.contracts';
export * from './topics';
