export * from './correlation';
export * from './logger';
export * from './http-metrics';
export * from './health/health-registry';
export * from './health/operations.module';
export * from './health/without-addresses';
export * from './hot-path-metrics';
export * from './process-metrics';
