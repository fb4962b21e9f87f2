import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { problem } from '@mercato/runtime';
import { Authenticated } from '../auth';
import { NoStore } from '../common/no-store';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import {
  ApiKeyIdParamDto,
  ApiKeyListDto,
  CreateApiKeyDto,
  CreateSellerDto,
  IssuedApiKeyDto,
  ListApiKeysQueryDto,
  SellerCreatedDto,
} from './admin.dto';
import { ApiKeysService } from './api-keys.service';
import { IdentityService } from './identity.service';

/** The 401 and 403 every admin route answers, with examples. */
const unauthorized = ApiUnauthorizedResponse({
  type: ProblemDetailsDto,
  description: 'Missing, invalid or expired bearer token.',
  example: problem(401, 'The access token is invalid or expired.'),
});
const forbidden = ApiForbiddenResponse({
  type: ProblemDetailsDto,
  description: 'The caller is not an admin.',
  example: problem(403, 'This operation requires the role admin.'),
});

/** Admin-only management of seller accounts and partner API keys (docs/api.md, "Identity"). */
@ApiTags('Admin')
@Controller('v1/admin')
@Authenticated('admin')
@NoStore()
export class AdminController {
  constructor(
    private readonly identity: IdentityService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Post('sellers')
  @ApiOperation({
    summary: 'Create a seller account',
    description:
      'Same rules as registration (one account per email, password of at least 10 characters). The seller signs in with POST /v1/auth/login; their tokens carry the role `seller`, and `sellerId` is their customerId.',
  })
  @ApiBody({ type: CreateSellerDto })
  @ApiCreatedResponse({ type: SellerCreatedDto, description: 'The seller account was created.' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Invalid body (e.g. password under 10 characters, unknown region).',
    example: problem(400, 'Invalid request: password', {
      errors: [{ field: 'password', message: 'must be at least 10 characters' }],
    }),
  })
  @unauthorized
  @forbidden
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'An account with this email already exists.',
    example: problem(409, 'An account with this email already exists.'),
  })
  createSeller(@Body() body: CreateSellerDto): Promise<SellerCreatedDto> {
    return this.identity.createSeller(body);
  }

  @Post('api-keys')
  @ApiOperation({
    summary: 'Issue a partner API key for a seller',
    description:
      'The secret `apiKey` is in this answer only: store it now. Partners send it as `X-Api-Key` on partner routes that need one of its scopes.',
  })
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: IssuedApiKeyDto, description: 'The key, with its secret (once).' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Invalid body (e.g. an unknown scope, no scope).',
    example: problem(400, 'Invalid request: scopes.0', {
      errors: [
        {
          field: 'scopes.0',
          message: 'Invalid option: expected one of "inventory:feed"|"catalog:feed"',
        },
      ],
    }),
  })
  @unauthorized
  @forbidden
  @ApiNotFoundResponse({
    type: ProblemDetailsDto,
    description: 'No seller account has this sellerId.',
    example: problem(404, 'No seller account has the id 5c1d7e2a-8f3b-4c6d-9e0a-1b2c3d4e5f60.'),
  })
  issueApiKey(@Body() body: CreateApiKeyDto): Promise<IssuedApiKeyDto> {
    return this.apiKeys.issue(body);
  }

  @Get('api-keys')
  @ApiOperation({
    summary: 'List partner API keys',
    description: 'Newest first, revoked keys included (with `revokedAt`); never the secrets.',
  })
  @ApiOkResponse({ type: ApiKeyListDto, description: 'A page of keys.' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Invalid limit or cursor.',
    example: problem(400, 'Invalid request: limit', {
      errors: [{ field: 'limit', message: 'Too big: expected number to be <=100' }],
    }),
  })
  @unauthorized
  @forbidden
  listApiKeys(@Query() query: ListApiKeysQueryDto): Promise<ApiKeyListDto> {
    return this.apiKeys.list(query.limit, query.cursor);
  }

  @Delete('api-keys/:apiKeyId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a partner API key',
    description:
      'The key stops working within 5 seconds on every gateway (at once on the one that revoked it); using it then answers 401. Revoking a revoked key succeeds again.',
  })
  @ApiNoContentResponse({ description: 'The key is revoked.' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Malformed key id.',
    example: problem(400, 'Invalid request: apiKeyId', {
      errors: [{ field: 'apiKeyId', message: 'must be an API key id' }],
    }),
  })
  @unauthorized
  @forbidden
  @ApiNotFoundResponse({
    type: ProblemDetailsDto,
    description: 'No API key has this id.',
    example: problem(404, 'No API key has the id ak_00mm7x4k2g9f3c2b1d4e5f6071.'),
  })
  revokeApiKey(@Param() params: ApiKeyIdParamDto): Promise<void> {
    return this.apiKeys.revoke(params.apiKeyId);
  }
}
