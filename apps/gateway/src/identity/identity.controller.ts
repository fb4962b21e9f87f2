import { ProblemDetailsDto } from '../common/problem-details.dto';
import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Ip,
  Patch,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { problem, RequestCorrelationId } from '@mercato/runtime';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '../auth';
import { CART_ID_HEADER, CartIdHeader } from '../cart/cart-caller';
import { GuestCartMerge } from '../cart/guest-cart-merge';
import { DeviceSignIn } from '../events/device-sign-in';
import { DEVICE_ID_HEADER } from '../events/interaction.rules';
import { NoStore } from '../common/no-store';
import { AuthThrottle, TOO_MANY_ATTEMPTS } from './auth-throttle';
import {
  JwksDto,
  LoginDto,
  ProfileDto,
  RefreshDto,
  RegisterDto,
  RegisteredDto,
  TokensDto,
  UpdateProfileDto,
} from './identity.dto';
import { IdentityService } from './identity.service';
import { SigningKeyStore } from './signing-key.store';

/** The 429 of a throttled sign-in or registration. */
const tooManyAttempts = (description: string) =>
  ApiTooManyRequestsResponse({
    type: ProblemDetailsDto,
    description: `${description} The \`Retry-After\` header says how many seconds to wait.`,
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
    example: problem(429, 'Too many failed sign-ins for this account; try again in 4 s.', {
      code: TOO_MANY_ATTEMPTS,
    }),
  });

@ApiTags('Identity')
@Controller('v1/auth')
@NoStore()
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    private readonly throttle: AuthThrottle,
    private readonly guestCart: GuestCartMerge,
    private readonly deviceSignIn: DeviceSignIn,
  ) {}

  @Post('register')
  @ApiOperation({
    summary: 'Create a customer account',
    description: 'The email is trimmed and lower-cased; one account per email.',
  })
  @ApiBody({ type: RegisterDto })
  @ApiCreatedResponse({ type: RegisteredDto, description: 'The account was created.' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Invalid body (e.g. password under 10 characters, unknown region).',
  })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'An account with this email already exists.',
  })
  @tooManyAttempts('Too many registrations from this client address.')
  async register(@Body() body: RegisterDto, @Ip() clientIp: string): Promise<RegisteredDto> {
    await this.throttle.beforeRegister(clientIp);
    return this.identity.register(body);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Returns a short-lived access token (bearer JWT) and a single-use refresh token. With ' +
      '`X-Cart-Id`, the guest cart is merged into the customer’s cart before the answer. ' +
      'With `X-Device-Id`, the device’s anonymous interactions (`POST /v1/events`) become the ' +
      'customer’s.',
  })
  @ApiHeader({
    name: 'X-Device-Id',
    required: false,
    description:
      'The device signing in (as sent to `POST /v1/events`): its interaction history is linked ' +
      'to the customer. A link that fails does not fail the sign-in.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
  })
  @CartIdHeader(
    'The guest cart to merge into the customer’s cart (quantities added, capped by stock ' +
      'and the per-SKU limit). A merge that fails does not fail the sign-in: the first cart ' +
      'call with the same header merges it.',
  )
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokensDto, description: 'A new access token and refresh token.' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid body.' })
  @ApiUnauthorizedResponse({
    type: ProblemDetailsDto,
    description: 'The email or password is incorrect (same answer for both).',
  })
  @tooManyAttempts(
    'Too many failed sign-ins for this account (each further one waits longer, then the account is locked for a while), or too many sign-in attempts from this client address.',
  )
  async login(
    @Body() body: LoginDto,
    @Ip() clientIp: string,
    @Headers(CART_ID_HEADER) cartId: string | undefined,
    @Headers(DEVICE_ID_HEADER) deviceId: string | undefined,
    @RequestCorrelationId() correlationId: string,
  ): Promise<TokensDto> {
    // Before the password is hashed: a throttled attempt costs no hashing.
    await this.throttle.beforeLogin(clientIp, body.email);
    let tokens: TokensDto;
    try {
      tokens = await this.identity.login(body.email, body.password);
      await this.throttle.loginSucceeded(body.email);
    } catch (error) {
      if (error instanceof UnauthorizedException) await this.throttle.loginFailed(body.email);
      throw error;
    }
    await this.guestCart.atLogin(tokens.accessToken, cartId, correlationId);
    await this.deviceSignIn.atLogin(tokens.accessToken, deviceId, correlationId);
    return tokens;
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for new tokens',
    description: 'The presented refresh token is used up; keep the new one from the response.',
  })
  @ApiBody({ type: RefreshDto })
  @ApiOkResponse({ type: TokensDto, description: 'A new access token and refresh token.' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Invalid body.' })
  @ApiUnauthorizedResponse({
    type: ProblemDetailsDto,
    description: 'The refresh token is invalid, expired or already used.',
  })
  refresh(@Body() body: RefreshDto): Promise<TokensDto> {
    return this.identity.refresh(body.refreshToken);
  }
}

@ApiTags('Identity')
@Controller('v1/me')
@Authenticated()
@NoStore()
export class MeController {
  constructor(private readonly identity: IdentityService) {}

  @Get()
  @ApiOperation({ summary: "The signed-in customer's profile" })
  @ApiOkResponse({ type: ProfileDto, description: 'The profile.' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'The account no longer exists.' })
  get(@CurrentUser() user: AuthenticatedUser): Promise<ProfileDto> {
    return this.identity.getProfile(user.customerId);
  }

  @Patch()
  @ApiOperation({
    summary: "Update the signed-in customer's profile",
    description:
      'Given fields replace the stored ones, except `preferences`, whose keys are merged into the stored preferences. `addresses` replaces the whole address book. A new region applies to access tokens from the next refresh.',
  })
  @ApiBody({ type: UpdateProfileDto })
  @ApiOkResponse({ type: ProfileDto, description: 'The updated profile.' })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Invalid body (unknown fields are rejected).',
  })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'The account no longer exists.' })
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: UpdateProfileDto,
  ): Promise<ProfileDto> {
    return this.identity.updateProfile(user.customerId, body);
  }
}

@ApiTags('Identity')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeyStore) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Public keys of the local token issuer (JWKS)',
    description:
      'Verify Mercato access tokens (RS256) with the key whose `kid` matches the token header.',
  })
  @ApiOkResponse({ type: JwksDto, description: 'The JSON Web Key Set.' })
  jwks(): JwksDto {
    return this.keys.jwks() as JwksDto;
  }
}
