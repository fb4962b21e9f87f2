export * from './problem-details';
export * from './problem-details.filter';
export * from './too-many-requests';
export * from './create-http-app';
export * from './correlation-id.decorator';
export * from './swagger';
export * from './service-root';
export * from './run-service';
