import { describeError, type ReplyMessage } from './bus-support';
import { RequestTimeoutError } from './errors';

interface Waiting {
  resolve: (reply: ReplyMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The requests this process sent that still wait for their reply, by request id: the caller's
 * bookkeeping of request/reply, the same on both adapters. A reply nobody waits for (timed out,
 * or answered twice after a redelivery) is ignored: the caller takes the first.
 */
export class PendingReplies {
  private readonly waiting = new Map<string, Waiting>();

  /** Waits for the reply to `requestId`; rejects with RequestTimeoutError when none comes in time. */
  wait(requestId: string, topic: string, timeoutMs: number): Promise<ReplyMessage> {
    return new Promise<ReplyMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new RequestTimeoutError(topic, timeoutMs));
      }, timeoutMs);
      this.waiting.set(requestId, { resolve, reject, timer });
    });
  }

  /**
   * Hands a reply, as received (JSON text), to the request waiting for it; `source` names where
   * it came from if it cannot be read. False when nobody waits for it.
   */
  deliver(requestId: string, value: string, source: string): boolean {
    const request = this.take(requestId);
    if (!request) return false;
    try {
      request.resolve(JSON.parse(value) as ReplyMessage);
    } catch (error) {
      request.reject(new Error(`Unreadable reply on ${source}: ${describeError(error)}`));
    }
    return true;
  }

  /** Stops waiting without settling: the request never left, and its caller has the error. */
  forget(requestId: string): void {
    this.take(requestId);
  }

  /** The bus is closing: every waiting request fails now rather than at its timeout. */
  rejectAll(): void {
    for (const [id, request] of this.waiting) {
      clearTimeout(request.timer);
      request.reject(new Error(`The bus closed before a reply to request ${id} arrived`));
    }
    this.waiting.clear();
  }

  private take(requestId: string): Waiting | undefined {
    const request = this.waiting.get(requestId);
    if (request) {
      clearTimeout(request.timer);
      this.waiting.delete(requestId);
    }
    return request;
  }
}
