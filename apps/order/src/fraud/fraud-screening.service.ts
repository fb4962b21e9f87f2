import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { fraudConfig, type FraudConfig } from './fraud.config';
import type { FraudAssessment, FraudInput } from './fraud.model';
import { FraudDecisions, type FraudDecisionRecord } from './fraud-decisions';
import { assessFraud } from './fraud-scoring';
import { FraudSignals, type SignalSubject } from './fraud-signals';

/** One checkout to screen: the rules' input without the counts, which screening reads itself. */
export type ScreeningRequest = Omit<FraudInput, 'recentOrders'> & { readonly orderId: string };

/**
 * Screens a checkout: reads the recent attempts of its customer, device and IP, scores it
 * (`assessFraud`), counts this attempt, and stores the decision with its score and reasons.
 * Counting after reading makes the counts "attempts before this one", as the limits mean.
 */
@Injectable()
export class FraudScreening {
  private readonly config: FraudConfig;

  constructor(
    private readonly signals: FraudSignals,
    private readonly decisions: FraudDecisions,
    @InjectConfig() config: object,
  ) {
    this.config = fraudConfig(config);
  }

  async screen(request: ScreeningRequest): Promise<FraudDecisionRecord> {
    const customer: SignalSubject = { kind: 'customer', id: request.customer.id };
    const device: SignalSubject | undefined =
      request.deviceId === undefined ? undefined : { kind: 'device', id: request.deviceId };
    const ip: SignalSubject = { kind: 'ip', id: request.ip };
    const [customerCounts, deviceCounts, ipCounts] = await Promise.all([
      this.signals.recentAttempts(customer, request.at),
      device ? this.signals.recentAttempts(device, request.at) : undefined,
      this.signals.recentAttempts(ip, request.at),
    ]);
    const { orderId, ...facts } = request;
    const assessment: FraudAssessment = assessFraud(
      {
        ...facts,
        recentOrders: { customer: customerCounts, device: deviceCounts, ip: ipCounts },
      },
      this.config,
    );
    await this.signals.recordAttempt(device ? [customer, device, ip] : [customer, ip], request.at);
    return this.decisions.record({
      orderId,
      customerId: request.customer.id,
      decidedAt: request.at.toISOString(),
      ...(request.deviceId === undefined ? {} : { deviceId: request.deviceId }),
      ip: request.ip,
      ...assessment,
    });
  }
}
