import type { LiveMessage } from './types.js';

/**
 * The `/live` WebSocket, kept open: on any close it reconnects with capped
 * exponential backoff and jitter, so a guard-room PC that lost Wi-Fi for an hour
 * comes back on its own without a hundred phones hammering the server at once.
 */
export type LiveState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; retryAt: number }
  | { kind: 'closed' };

export interface LiveHandlers {
  onMessage?(message: LiveMessage): void;
  onState?(state: LiveState): void;
  /** After each hello from the server: messages may have been missed before it, so resync. */
  onReady?(): void;
  /** The socket closed before a hello: maybe the token is no longer valid. */
  onRefused?(): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** server/http/routes/system.ts closes `/live` with this code for a missing or expired token. */
const REFUSED = 4401;

export class LiveSocket {
  private socket: WebSocket | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private stopped = false;
  private readonly subscribers = new Set<LiveHandlers>();
  state: LiveState = { kind: 'connecting' };
  private readonly wake = (): void => {
    if (document.visibilityState === 'visible' && this.timer !== undefined) this.retryNow();
  };

  constructor(private readonly token: string) {
    // A phone that slept or changed network retries at once rather than waiting out the backoff.
    document.addEventListener('visibilitychange', this.wake);
    window.addEventListener('online', this.wake);
    this.open();
  }

  /** Subscribes; returns the unsubscribe. The current state is reported at once. */
  subscribe(handlers: LiveHandlers): () => void {
    this.subscribers.add(handlers);
    handlers.onState?.(this.state);
    return () => this.subscribers.delete(handlers);
  }

  retryNow(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.open();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.wake);
    window.removeEventListener('online', this.wake);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
    this.setState({ kind: 'closed' });
    this.subscribers.clear();
  }

  private open(): void {
    this.socket?.close();
    this.setState({ kind: 'connecting' });
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/live?token=${encodeURIComponent(this.token)}`);
    this.socket = socket;
    let ready = false;
    socket.onmessage = (ev) => {
      if (socket !== this.socket) return;
      let message: LiveMessage;
      try {
        message = JSON.parse(String(ev.data)) as LiveMessage;
      } catch {
        return; // not ours to crash on; the server only sends JSON
      }
      if (message.type === 'hello' && !ready) {
        ready = true;
        this.failures = 0;
        this.setState({ kind: 'live' });
        this.emit((s) => s.onReady?.());
        return;
      }
      this.emit((s) => s.onMessage?.(message));
    };
    socket.onclose = (ev) => {
      if (socket !== this.socket || this.stopped) return;
      this.socket = undefined;
      // 4401: the server refused the token. Before a hello, a plain failure may be one too.
      if (!ready || ev.code === REFUSED) this.emit((s) => s.onRefused?.());
      if (!this.stopped) this.schedule();
    };
  }

  private schedule(): void {
    const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.setState({ kind: 'reconnecting', retryAt: Date.now() + delay });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.open();
    }, delay);
  }

  private setState(state: LiveState): void {
    this.state = state;
    this.emit((s) => s.onState?.(state));
  }

  /** One subscriber's failure does not stop the others. */
  private emit(call: (subscriber: LiveHandlers) => void): void {
    for (const subscriber of [...this.subscribers]) {
      try {
        call(subscriber);
      } catch (err) {
        console.error('live subscriber failed', err);
      }
    }
  }
}
