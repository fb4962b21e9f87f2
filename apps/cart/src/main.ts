import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { cartConfigSchema } from './cart.config';
import { CartModule } from './cart.module';

void runService(cartConfigSchema, { service: 'cart', features: [CartModule] });
