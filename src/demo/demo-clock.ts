import { setTimeout as sleep } from 'node:timers/promises';

/** Demo timings, scaled: `--demo-speed 10` runs every demo ten times faster (tests use that). */
export class DemoClock {
  readonly speed: number;

  constructor(speed = 1) {
    if (!(speed > 0)) throw new TypeError(`Demo speed must be a positive number, not ${speed}.`);
    this.speed = speed;
  }

  /** Waits `ms` demo milliseconds; rejects at once when `signal` aborts. */
  pause(ms: number, signal?: AbortSignal): Promise<void> {
    return sleep(ms / this.speed, undefined, signal ? { signal } : {});
  }
}
