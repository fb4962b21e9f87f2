import { readFileSync } from 'node:fs';

/**
 * Who used the CPU when: per-process CPU and the machine's iowait and steal, sampled every
 * `intervalMs` from /proc, so a benchmark can line a latency spike up with the process (or the
 * hypervisor, or the disk) that ran at that moment. Linux only; other systems record nothing.
 */

/** Clock ticks per second of /proc's CPU counters (USER_HZ; 100 on every Linux we run). */
const TICKS_PER_SECOND = 100;

interface Snapshot {
  at: number;
  /** CPU ms used so far by each watched process (NaN once it is gone). */
  processes: number[];
  /** Machine-wide ticks so far: [busy, iowait, steal, all]. */
  machine: [number, number, number, number];
}

function processCpuMs(pid: number): number {
  try {
    // Fields after the command name: state is 3rd, so utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

function machineTicks(): [number, number, number, number] {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync(
      '/proc/stat',
      'utf8',
    )
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user + nice + system + irq + softirq;
    return [busy, iowait, steal, busy + idle + iowait + steal];
  } catch {
    return [NaN, NaN, NaN, NaN];
  }
}

export interface CpuShare {
  /** Per watched process: percent of one core over the window. */
  processes: { name: string; percent: number }[];
  /** Machine-wide percent of all cores: busy, waiting on I/O, stolen by the hypervisor. */
  busy: number;
  iowait: number;
  steal: number;
}

export class CpuTimeline {
  private readonly snapshots: Snapshot[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly watched: readonly (readonly [name: string, pid: number])[],
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** CPU shares between the last sample at or before `from` and the first at or after `to`. */
  during(from: number, to: number): CpuShare | undefined {
    if (to >= (this.snapshots.at(-1)?.at ?? Infinity)) this.sample();
    const first = [...this.snapshots].reverse().find((s) => s.at <= from);
    const last = this.snapshots.find((s) => s.at >= to);
    if (!first || !last || last.at <= first.at) return undefined;
    const ms = last.at - first.at;
    const ticks = last.machine.map((v, i) => v - first.machine[i]);
    const share = (i: number) => (ticks[3] > 0 ? (100 * ticks[i]) / ticks[3] : NaN);
    return {
      processes: this.watched
        .map(([name], i) => ({
          name,
          percent: (100 * (last.processes[i] - first.processes[i])) / ms,
        }))
        .sort((a, b) => b.percent - a.percent),
      busy: share(0),
      iowait: share(1),
      steal: share(2),
    };
  }

  private sample(): void {
    this.snapshots.push({
      at: Date.now(),
      processes: this.watched.map(([, pid]) => processCpuMs(pid)),
      machine: machineTicks(),
    });
  }
}

/** One line for a log: the busiest processes and the machine's iowait and steal. */
export function describeShare(share: CpuShare | undefined, top = 4): string {
  if (!share) return 'no CPU samples';
  const busiest = share.processes
    .filter((p) => p.percent >= 1)
    .slice(0, top)
    .map((p) => `${p.name} ${p.percent.toFixed(0)}%`)
    .join(', ');
  return `${busiest || 'idle'}; machine busy ${share.busy.toFixed(0)}%, iowait ${share.iowait.toFixed(0)}%, steal ${share.steal.toFixed(0)}%`;
}
