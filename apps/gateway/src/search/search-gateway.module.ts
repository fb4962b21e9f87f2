import { Module } from '@nestjs/common';
import { AdminSearchController, SearchController } from './search.controller';
import { SearchGatewayService } from './search.service';

/** The search routes of the gateway; the index and the analytics live in the search service. */
@Module({
  controllers: [SearchController, AdminSearchController],
  providers: [SearchGatewayService],
})
export class SearchGatewayModule {}
