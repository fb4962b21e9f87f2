/**
 * The Kafka request/reply round trip, hop by hop (issue 3's "p99 under 50 ms at 100 req/s"):
 * GetProduct requests from this process to the stack's catalog at fixed rates, each split with
 * the records' own timestamps (CreateTime, set by the producing client; one clock on one machine):
 *  - out:   this process sends → the broker acknowledges the request (one produce round trip);
 *  - serve: acknowledged → the catalog's reply is stamped (catalog's fetch wake-up, its queue
 *           behind other records of the partition, the handler, its sender);
 *  - back:  reply stamped → this process has it (broker, this process's reply fetch).
 * The catalog's own handler time comes from its `mercato_bus_handler_seconds` histogram.
 * Engines are started if they are not running; the stack is started with a small seed.
 * Run: `npm run bench:request-reply`. BENCH_RATES (default 1,10,50,100), BENCH_SECONDS (15).
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { GetProduct } from '@mercato/contracts';
import { HEADER, envelopeRecord, newEnvelope } from '@mercato/messaging';
import { ENGINE_NAMES, readEndpoints, startEngines } from '../scripts/infra/engines';
import { removeStackData } from '../scripts/stack/stack-data';
import { appView } from './app-view';
import { CpuTimeline, describeShare } from './cpu-timeline';
import { atFixedRate, machine, percentile, productIds, say, startBenchStack } from './support';

const RATES = (process.env.BENCH_RATES ?? '1,10,50,100').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 1000);
const PORT_OFFSET = 3200;
const TIMEOUT_MS = 5_000;

interface Sample {
  /** Wall-clock time the request was sent (epoch ms), to line a stall up with other logs. */
  sentAt: number;
  out: number;
  serve: number;
  back: number;
  total: number;
}

interface Pending {
  sentAt: number;
  /** When the broker acknowledged the request. */
  stampedAt?: number;
  resolve: (sample: Sample) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** A bare kafkajs requester: the bus's record format, without the bus, so every hop is visible. */
class HopTimer {
  private readonly pending = new Map<string, Pending>();
  private producer!: Producer;
  private consumer!: Consumer;
  private readonly replyTopic: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly requestTopic: string,
    namespace: string,
  ) {
    this.replyTopic = `${namespace}replies.hops-${randomBytes(3).toString('hex')}`;
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: this.replyTopic }] });
    await admin.disconnect();
    // As the bus configures its producer and reply consumer (no commits: the topic is dropped).
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.replyTopic, maxWaitTimeInMs: 1_000 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.replyTopic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const receivedAt = Date.now();
        const id = message.headers?.[HEADER.requestId]?.toString();
        const request = id ? this.pending.get(id) : undefined;
        if (!id || !request) return;
        this.pending.delete(id);
        clearTimeout(request.timer);
        const stampedAt = request.stampedAt ?? request.sentAt;
        const repliedAt = Number(message.timestamp);
        request.resolve({
          sentAt: request.sentAt,
          out: stampedAt - request.sentAt,
          serve: repliedAt - stampedAt,
          back: receivedAt - repliedAt,
          total: receivedAt - request.sentAt,
        });
      },
    });
  }

  request(productId: string): Promise<Sample> {
    const envelope = newEnvelope(
      GetProduct,
      { productId, region: 'us' },
      { key: randomBytes(8).toString('hex') },
    );
    const id = envelope.id;
    return new Promise<Sample>((resolve, reject) => {
      const sentAt = Date.now();
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('timeout'));
      }, TIMEOUT_MS);
      const request: Pending = { sentAt, resolve, reject, timer };
      this.pending.set(id, request);
      this.producer
        .send({
          topic: this.requestTopic,
          messages: [
            envelopeRecord(envelope, {
              [HEADER.replyTo]: this.replyTopic,
              [HEADER.requestId]: id,
            }),
          ],
        })
        .then(() => {
          request.stampedAt = Date.now();
        })
        .catch((error: Error) => {
          this.pending.delete(id);
          clearTimeout(timer);
          reject(error);
        });
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [this.replyTopic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

function summary(samples: Sample[], hop: Exclude<keyof Sample, 'sentAt'>): string {
  const sorted = samples.map((s) => s[hop]).sort((a, b) => a - b);
  return `${percentile(sorted, 0.5)} / ${percentile(sorted, 0.99)}`;
}

async function main(): Promise<void> {
  const engines = await startEngines(ENGINE_NAMES, say);
  const endpoints = readEndpoints();
  const prefix = `rr${randomBytes(3).toString('hex')}-`;
  say(`starting the stack with ${PRODUCTS} products`);
  const { stack } = await startBenchStack({
    endpoints,
    prefix,
    products: PRODUCTS,
    portOffset: PORT_OFFSET,
    log: say,
  });
  const kafka = new Kafka({
    clientId: `${prefix}hops`,
    brokers: endpoints.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const timer = new HopTimer(kafka, `${prefix}${GetProduct.topic}`, prefix);
  try {
    const ids = await productIds(stack.gatewayUrl, Math.min(PRODUCTS, 1000));
    await timer.start();
    for (let i = 0; i < 20; i++) await timer.request(ids[i]).catch(() => undefined); // warm-up
    const catalog = stack.apps.find((a) => a.name === 'catalog')!;
    const watched: [string, number][] = [
      ...stack.apps.map((a): [string, number] => [a.name, a.process.pid ?? 0]),
      ...engines.map((e): [string, number] => [e.name, e.pid ?? 0]),
      ['bench', process.pid],
    ];
    const lines = [
      `Machine: ${machine()}`,
      `Command: npm run bench:request-reply (${PRODUCTS} products, ${SECONDS} s per rate, GetProduct round robin over ${ids.length} products)`,
      '',
      '| rate | ok / failed | total p50 / p99 ms | out | serve | back | catalog handler mean ms | CPU % of a core |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ];
    const catalogHandlers = {
      histogram: 'mercato_bus_handler_seconds',
      labels: (l: string) => l.includes(`topic="${GetProduct.topic}"`),
    };
    const timeline = new CpuTimeline(watched);
    timeline.start();
    for (const rate of RATES) {
      const from = Date.now();
      const samples: Sample[] = [];
      const bySecond: number[][] = [];
      let failed = 0;
      const [, catalogView] = await appView(catalog.url, catalogHandlers, () =>
        atFixedRate(rate, SECONDS, (i) =>
          timer.request(ids[i % ids.length]).then(
            (s) => {
              samples.push(s);
              (bySecond[Math.floor(i / rate)] ??= []).push(s.total);
            },
            () => void failed++,
          ),
        ),
      );
      const to = Date.now();
      say(`catalog: ${catalogView.summary}`);
      // Whether the tail is spread over the run or one stall: the slowest round trip per second.
      say(
        `${rate} req/s, slowest per second (ms): ${bySecond.map((t) => Math.max(...t)).join(' ')}`,
      );
      const worst = [...samples].sort((a, b) => b.total - a.total).slice(0, 3);
      // Which hop stalled, and who had the CPU meanwhile (or whether nobody did: I/O, steal).
      for (const w of worst) {
        say(
          `slow: ${w.total} ms at ${new Date(w.sentAt).toISOString()} (out ${w.out}, serve ${w.serve}, back ${w.back}); ${describeShare(timeline.during(w.sentAt, w.sentAt + w.total))}`,
        );
      }
      const cpu = (timeline.during(from, to)?.processes ?? [])
        .filter((p) => p.percent >= 2)
        .map((p) => `${p.name} ${p.percent.toFixed(0)}`)
        .join(', ');
      const handlerMean = catalogView.handled > 0 ? catalogView.handlerMeanMs.toFixed(1) : 'n/a';
      const line = `| ${rate} req/s | ${samples.length} / ${failed} | ${summary(samples, 'total')} | ${summary(samples, 'out')} | ${summary(samples, 'serve')} | ${summary(samples, 'back')} | ${handlerMean} | ${cpu} |`;
      say(line);
      lines.push(line);
    }
    timeline.stop();
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await timer.stop().catch(() => undefined);
    await stack.stop();
    await removeStackData(endpoints, prefix).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
