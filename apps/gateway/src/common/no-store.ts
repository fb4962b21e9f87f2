import {
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';

/** Sets `Cache-Control: no-store` before the handler runs, so error answers carry it too. */
@Injectable()
export class NoStoreInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    void context.switchToHttp().getResponse<FastifyReply>().header('Cache-Control', 'no-store');
    return next.handle();
  }
}

/**
 * `Cache-Control: no-store` on every answer of the controller or route: for answers that carry
 * tokens, secrets or personal data, which no browser or proxy cache may keep.
 */
export const NoStore = (): ClassDecorator & MethodDecorator => UseInterceptors(NoStoreInterceptor);
