import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { STORE_SPEC } from './store';
import { storeConfigSchema } from './store.config';

void runService(storeConfigSchema, STORE_SPEC);
