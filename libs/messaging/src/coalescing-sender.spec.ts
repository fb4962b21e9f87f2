import type { Message, TopicMessages } from 'kafkajs';
import { CoalescingSender } from './coalescing-sender';

/** A produce request that stays in flight until the test acknowledges or fails it. */
class FakeProducer {
  readonly requests: TopicMessages[][] = [];
  private readonly pending: { ack: () => void; fail: (error: Error) => void }[] = [];

  readonly sendBatch = (topicMessages: TopicMessages[]): Promise<void> => {
    this.requests.push(topicMessages);
    return new Promise((ack, fail) => this.pending.push({ ack, fail }));
  };

  ack(): void {
    this.pending.shift()?.ack();
  }

  fail(error: Error): void {
    this.pending.shift()?.fail(error);
  }
}

const message = (key: string): Message => ({ key, value: `v-${key}` });
const keysOf = (request: TopicMessages[]): string[][] =>
  request.map(({ topic, messages }) => [topic, ...messages.map((m) => String(m.key))]);
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescingSender', () => {
  it('sends a lone message at once, in a request of its own', async () => {
    const producer = new FakeProducer();
    const sender = new CoalescingSender(producer.sendBatch);

    const sent = sender.send('t', message('a'));
    expect(producer.requests.map(keysOf)).toEqual([[['t', 'a']]]);
    producer.ack();
    await expect(sent).resolves.toBeUndefined();
  });

  it('gathers the messages sent while a request is in flight into the next request, in order, grouped by topic', async () => {
    const producer = new FakeProducer();
    const sender = new CoalescingSender(producer.sendBatch);

    const first = sender.send('t', message('a'));
    const later = [
      sender.send('t', message('b')),
      sender.send('u', message('c')),
      sender.send('t', message('d')),
    ];
    expect(producer.requests).toHaveLength(1); // the next request waits for the first's ack
    producer.ack();
    await first;
    await settled();
    expect(producer.requests.map(keysOf)).toEqual([
      [['t', 'a']],
      [
        ['t', 'b', 'd'],
        ['u', 'c'],
      ],
    ]);
    producer.ack();
    await Promise.all(later);
  });

  it('a failed request rejects exactly the sends it carried, and later sends go on', async () => {
    const producer = new FakeProducer();
    const sender = new CoalescingSender(producer.sendBatch);

    const first = sender.send('t', message('a'));
    const second = sender.send('t', message('b'));
    const third = sender.send('t', message('c'));
    producer.fail(new Error('broker away'));
    await expect(first).rejects.toThrow('broker away');
    await settled();
    producer.fail(new Error('still away'));
    await expect(second).rejects.toThrow('still away');
    await expect(third).rejects.toThrow('still away');

    const fourth = sender.send('t', message('d'));
    producer.ack();
    await expect(fourth).resolves.toBeUndefined();
    expect(producer.requests.map(keysOf)).toEqual([[['t', 'a']], [['t', 'b', 'c']], [['t', 'd']]]);
  });

  it('caps the messages of one request, sending the rest in the next', async () => {
    const producer = new FakeProducer();
    const sender = new CoalescingSender(producer.sendBatch, 2);

    const sends = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => sender.send('t', message(key)));
    for (let i = 0; i < 4; i++) {
      producer.ack();
      await settled();
    }
    await Promise.all(sends);
    expect(producer.requests.map(keysOf)).toEqual([
      [['t', 'a']],
      [['t', 'b', 'c']],
      [['t', 'd', 'e']],
      [['t', 'f']],
    ]);
  });

  it('idle() resolves once everything queued is acknowledged', async () => {
    const producer = new FakeProducer();
    const sender = new CoalescingSender(producer.sendBatch);
    let idle = false;

    void sender.send('t', message('a'));
    void sender.send('t', message('b'));
    void sender.idle().then(() => (idle = true));
    producer.ack();
    await settled();
    expect(idle).toBe(false);
    producer.ack();
    await settled();
    expect(idle).toBe(true);
  });
});
