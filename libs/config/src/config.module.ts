import { DynamicModule, Global, Inject, Module } from '@nestjs/common';

/** Injection token of the validated configuration object of the running process. */
export const APP_CONFIG = 'mercato:app-config';

/** Injects the validated config; the parameter's type names the app's own config type. */
export const InjectConfig = (): ParameterDecorator & PropertyDecorator => Inject(APP_CONFIG);

/**
 * Makes the process's validated config available everywhere. The all-in-one host passes a
 * config that satisfies every app's schema; an app started alone passes its own.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: object): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
