/**
 * Counting semaphore with deadlines: bounds the commands in flight on one router.
 * Waiters queue in FIFO order and give up at their deadline, so time spent
 * queued counts against the command's own timeout.
 */

interface Waiter {
  grant: (release: () => void) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

export class Semaphore {
  private used = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError('permits must be a positive integer');
  }

  get inUse(): number { return this.used; }
  get waiting(): number { return this.queue.length; }

  /** Resolves with a release function (call it exactly once; extra calls are ignored). */
  acquire(deadline: number, onTimeout: () => Error): Promise<() => void> {
    if (this.used < this.permits && this.queue.length === 0) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, reject };
      const wait = deadline - Date.now();
      if (wait <= 0) { reject(onTimeout()); return; }
      waiter.timer = setTimeout(() => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(onTimeout());
      }, wait);
      this.queue.push(waiter);
    });
  }

  /** Rejects everyone waiting (shutdown). Permits already granted are unaffected. */
  rejectAll(err: Error): void {
    for (const waiter of this.queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) {
        clearTimeout(next.timer);
        next.grant(this.releaser()); // hand the permit over: `used` stays the same
      } else {
        this.used--;
      }
    };
  }
}
