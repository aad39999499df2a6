import type { SimLog } from './sim-log.js';

/**
 * Every timer a simulated device or scenario starts, so `close()` can stop them
 * all. A callback that throws is logged and does not stop the others.
 */
export class Timers {
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private closed = false;

  constructor(private readonly log: SimLog, private readonly owner: string) {}

  get isClosed(): boolean {
    return this.closed;
  }

  after(ms: number, fn: () => void | Promise<void>): void {
    if (this.closed) return;
    const h = setTimeout(() => {
      this.handles.delete(h);
      this.run(fn);
    }, ms);
    this.handles.add(h);
  }

  every(ms: number, fn: () => void | Promise<void>): void {
    if (this.closed) return;
    const h = setInterval(() => this.run(fn), ms);
    this.handles.add(h);
  }

  /** Resolves after `ms`, or at once (false) when closed meanwhile: loops check the answer and stop. */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        this.sleepers.delete(wake);
        clearTimeout(h);
        this.handles.delete(h);
        resolve(!this.closed);
      };
      const h = setTimeout(wake, ms);
      this.handles.add(h);
      this.sleepers.add(wake);
    });
  }

  close(): void {
    this.closed = true;
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
    for (const wake of [...this.sleepers]) wake();
  }

  private run(fn: () => void | Promise<void>): void {
    if (this.closed) return;
    try {
      const out = fn();
      if (out instanceof Promise) out.catch((err: unknown) => this.fail(err));
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    this.log.error({ owner: this.owner, err: (err as Error)?.message ?? String(err) }, 'simulator timer failed');
  }
}
