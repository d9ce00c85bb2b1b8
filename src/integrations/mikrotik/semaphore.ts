/**
 * Counting semaphore with deadlines: bounds the commands in flight on one router.
 * Waiters queue in FIFO order and give up at their deadline, so time spent
 * queued counts against the command's own timeout.
 *
 * Two lanes (issue 21): background work (voucher jobs) may hold at most
 * `backgroundPermits` of the permits, and a freed permit goes to the oldest
 * foreground waiter (a paid sale, an operator) before any background one, so
 * a big voucher batch on a router never stands between a sale and that router.
 */

export type Lane = 'foreground' | 'background';

interface Waiter {
  lane: Lane;
  grant: (release: () => void) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

export class Semaphore {
  private used = 0;
  private usedBackground = 0;
  private readonly queue: Waiter[] = [];
  private readonly backgroundPermits: number;

  constructor(private readonly permits: number, backgroundPermits = permits) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError('permits must be a positive integer');
    this.backgroundPermits = Math.max(1, Math.min(permits, Math.floor(backgroundPermits)));
  }

  get inUse(): number { return this.used; }
  get waiting(): number { return this.queue.length; }
  get backgroundInUse(): number { return this.usedBackground; }

  /** Resolves with a release function (call it exactly once; extra calls are ignored). */
  acquire(deadline: number, onTimeout: () => Error, lane: Lane = 'foreground'): Promise<() => void> {
    if (this.canGrant(lane) && !this.queue.some((w) => w.lane === 'foreground' || lane === 'background')) {
      this.take(lane);
      return Promise.resolve(this.releaser(lane));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { lane, grant: resolve, reject };
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

  private canGrant(lane: Lane): boolean {
    if (this.used >= this.permits) return false;
    return lane === 'foreground' || this.usedBackground < this.backgroundPermits;
  }

  private take(lane: Lane): void {
    this.used++;
    if (lane === 'background') this.usedBackground++;
  }

  /** The waiter a free permit goes to: the oldest foreground one, else the oldest background one the lane cap allows. */
  private grantWaiting(): void {
    while (this.queue.length > 0) {
      let i = this.queue.findIndex((w) => w.lane === 'foreground');
      if (i < 0 && this.canGrant('background')) i = 0;
      if (i < 0 || !this.canGrant(this.queue[i]!.lane)) return;
      const [next] = this.queue.splice(i, 1);
      clearTimeout(next!.timer);
      this.take(next!.lane);
      next!.grant(this.releaser(next!.lane));
    }
  }

  private releaser(lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
      if (lane === 'background') this.usedBackground--;
      this.grantWaiting();
    };
  }
}
