import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { orderConfigSchema } from './order.config';
import { OrderModule } from './order.module';

void runService(orderConfigSchema, { service: 'order', features: [OrderModule] });
