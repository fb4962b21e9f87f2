export * from './load-config';
export * from './core-config';
export * from './config.module';
