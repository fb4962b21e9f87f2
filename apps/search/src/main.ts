import 'reflect-metadata';
import { runService } from '@mercato/runtime';
import { searchConfigSchema } from './search.config';
import { SearchModule } from './search.module';

void runService(searchConfigSchema, { service: 'search', features: [SearchModule] });
