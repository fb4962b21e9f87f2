import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { MAX_SEARCH_QUERY_LENGTH, type Region } from '@mercato/contracts';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import {
  Authenticated,
  OptionalAuthGuard,
  OptionalCurrentUser,
  type AuthenticatedUser,
} from '../auth';
import { NoStore } from '../common/no-store';
import { problemExamples } from '../common/problem-examples';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { RequestRegion } from '../common/region.decorator';
import {
  FeedbackBodyDto,
  FeedbackResponseDto,
  InsightsQueryDto,
  InsightsResponseDto,
  ReindexStartedDto,
  ReindexStatusDto,
  SearchQueryDto,
  SearchResponseDto,
  SuggestQueryDto,
  SuggestResponseDto,
} from './search.dto';
import { SearchGatewayErrorCode, SearchGatewayService } from './search.service';

const RegionHeader = ApiHeader({
  name: 'X-Region',
  required: false,
  description:
    'Prices, currency and stock of the results: us (USD), eu (EUR), ap (JPY). Default: the ' +
    'signed-in customer’s region (with a bearer token), else us.',
  schema: { type: 'string', enum: ['us', 'eu', 'ap'], default: 'us' },
});

const unknownRegion = {
  detail: 'X-Region must be one of us, eu, ap',
} as const;

const badSearch = ApiBadRequestResponse({
  type: ProblemDetailsDto,
  description:
    'An invalid or unknown parameter (`INVALID_REQUEST`: a limit outside 1..100, an unknown ' +
    'facet or sort, minPrice above maxPrice…), a query over ' +
    `${MAX_SEARCH_QUERY_LENGTH} characters (\`QUERY_TOO_LONG\`), a cursor of another query ` +
    '(`INVALID_CURSOR`) or an unknown `X-Region` (`UNKNOWN_REGION`)',
  examples: problemExamples(400, {
    INVALID_REQUEST: {
      detail: 'Invalid request: facets',
      errors: [{ field: 'facets', message: 'unknown facet "colour": use category, brand, price' }],
    },
    QUERY_TOO_LONG: {
      detail: `q may be ${MAX_SEARCH_QUERY_LENGTH} characters at most`,
      errors: [{ field: 'q', message: `longer than ${MAX_SEARCH_QUERY_LENGTH} characters` }],
    },
    INVALID_CURSOR: {
      detail: 'cursor was not issued for this query',
      errors: [{ field: 'cursor', message: 'not a cursor of this query' }],
    },
    UNKNOWN_REGION: unknownRegion,
  }),
});

const badToken = ApiUnauthorizedResponse({
  type: ProblemDetailsDto,
  description: 'A bearer token was sent but is invalid or expired (anyone may search without one)',
  example: problem(401, 'The access token is invalid or expired.', { code: 'UNAUTHORIZED' }),
});

/** Search, autocomplete and search feedback (docs/api.md, "Search and discovery"). */
@ApiTags('Search')
@UseGuards(OptionalAuthGuard)
// A token is optional: it sets the default region, personalises ranking and allows explain.
@ApiBearerAuth()
@ApiSecurity({})
@Controller('v1/search')
export class SearchController {
  constructor(private readonly search: SearchGatewayService) {}

  @Get()
  // Never cached: every search is counted in the insights and gets its own queryId (a cached
  // answer would hand one queryId to many shoppers), stock moves the hits within a second, and
  // a customer's ranking is personal.
  @NoStore()
  @RegionHeader
  @ApiOperation({
    summary: 'Full-text product search with filters, facets, sorts and cursor pagination',
    description:
      'Plain words, typo tolerant, synonyms included. Only products sold in the region are ' +
      'found; prices are the lowest variant price in the region’s currency, in minor units. ' +
      'A customer’s token personalises the ranking (never recorded). Send `queryId` back with ' +
      '`POST /v1/search/feedback` when the shopper clicks a hit or adds it to the cart.',
  })
  @ApiOkResponse({ type: SearchResponseDto })
  @badSearch
  @badToken
  @ApiForbiddenResponse({
    type: ProblemDetailsDto,
    description: '`EXPLAIN_REQUIRES_ADMIN`: `explain=true` without an admin token',
    example: problem(403, 'explain=true is for admins: the score parts show how ranking is tuned', {
      code: SearchGatewayErrorCode.ExplainRequiresAdmin,
    }),
  })
  find(
    @Query() query: SearchQueryDto,
    @OptionalCurrentUser() caller: AuthenticatedUser | undefined,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
  ): Promise<SearchResponseDto> {
    return this.search.search(query, { caller, region, correlationId });
  }

  @Get('suggest')
  @RegionHeader
  @ApiOperation({
    summary: 'Autocomplete: query completions, then matching products',
    description:
      'From 2 characters (fewer answer no suggestions), typo tolerant from 4 letters. ' +
      'Completions come first without `productId`; products follow with their title as `text`.',
  })
  @ApiOkResponse({ type: SuggestResponseDto })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description:
      '`INVALID_REQUEST` (no `q`, a limit outside 1..10, an unknown parameter), ' +
      `\`QUERY_TOO_LONG\` (over ${MAX_SEARCH_QUERY_LENGTH} characters) or \`UNKNOWN_REGION\``,
    examples: problemExamples(400, {
      INVALID_REQUEST: {
        detail: 'Invalid request: limit',
        errors: [{ field: 'limit', message: 'Too big: expected number to be <=10' }],
      },
      QUERY_TOO_LONG: {
        detail: `q may be ${MAX_SEARCH_QUERY_LENGTH} characters at most`,
        errors: [{ field: 'q', message: `longer than ${MAX_SEARCH_QUERY_LENGTH} characters` }],
      },
      UNKNOWN_REGION: unknownRegion,
    }),
  })
  @badToken
  suggest(
    @Query() { q, limit }: SuggestQueryDto,
    @RequestRegion() region: Region,
    @RequestCorrelationId() correlationId: string,
  ): Promise<SuggestResponseDto> {
    return this.search.suggest(q, limit, { region, correlationId });
  }

  @Post('feedback')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Report a click on a search hit, or an add to cart from the results',
    description:
      'Anonymous: the queryId says which search, never who (a token changes nothing). The ' +
      'same queryId, product and type count once: a repeat answers `counted: false`.',
  })
  @ApiAcceptedResponse({
    type: FeedbackResponseDto,
    description: 'Taken: `counted` says whether it counted now or was counted before',
  })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description:
      'An invalid body (`INVALID_REQUEST`) or a queryId no search handed out (`INVALID_QUERY_ID`)',
    examples: problemExamples(400, {
      INVALID_REQUEST: {
        detail: 'Invalid request: type',
        errors: [
          { field: 'type', message: 'Invalid option: expected one of "click"|"add_to_cart"' },
        ],
      },
      INVALID_QUERY_ID: { detail: 'queryId was not issued by a search' },
    }),
  })
  @badToken
  feedback(
    @Body() body: FeedbackBodyDto,
    @RequestCorrelationId() correlationId: string,
  ): Promise<FeedbackResponseDto> {
    return this.search.feedback(body, correlationId);
  }
}

/** What shoppers search for and what they do with the results, for admins. */
@ApiTags('Admin')
@Authenticated('admin')
@NoStore()
@Controller('v1/admin/search')
export class AdminSearchController {
  constructor(private readonly search: SearchGatewayService) {}

  @Get('insights')
  @ApiOperation({
    summary: 'Search analytics: totals, top queries, zero-result queries, click-through',
    description: 'Over the last `days` UTC days, today included. Anonymised: no customer is named.',
  })
  @ApiOkResponse({ type: InsightsResponseDto })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'days outside 1..90, a limit outside 1..100 or an unknown parameter',
    example: problem(400, 'Invalid request: days', {
      code: 'INVALID_REQUEST',
      errors: [{ field: 'days', message: 'Too big: expected number to be <=90' }],
    }),
  })
  insights(
    @Query() query: InsightsQueryDto,
    @RequestCorrelationId() correlationId: string,
  ): Promise<InsightsResponseDto> {
    return this.search.insights(query, correlationId);
  }

  @Post('reindex')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild the search index from the catalog, then swap it in',
    description:
      'Builds a new index beside the live one and swaps it in atomically: searches keep ' +
      'answering from the old index meanwhile. One at a time: while one runs, this answers ' +
      '`started: false` with its status. Follow it with `GET /v1/admin/search/reindex` ' +
      '(`npm run search:reindex` does both, with a progress bar).',
  })
  @ApiAcceptedResponse({ type: ReindexStartedDto, description: 'Started, or already running' })
  startReindex(@RequestCorrelationId() correlationId: string): Promise<ReindexStartedDto> {
    return this.search.startReindex(correlationId);
  }

  @Get('reindex')
  @ApiOperation({
    summary: 'Progress of the running (or the last) index rebuild',
    description:
      '`expected` is the live index size when it started, the estimate of the total; ' +
      '`idle` when none ran since the search process started.',
  })
  @ApiOkResponse({ type: ReindexStatusDto })
  reindexStatus(@RequestCorrelationId() correlationId: string): Promise<ReindexStatusDto> {
    return this.search.reindexStatus(correlationId);
  }
}
