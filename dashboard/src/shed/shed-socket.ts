import type { ShedView } from '../types-charging.js';

/**
 * `/public/sheds/:shedId/live`: the shed's ports whenever they change, the
 * whole view in each message (the first on connect). Kept open like `/live`:
 * capped exponential backoff with jitter, and at once when the phone wakes or
 * comes back online (it was in a pocket on the way down the stairs).
 */
export type ShedSocketState = 'connecting' | 'live' | 'reconnecting' | 'gone';

export interface ShedSocketHandlers {
  view(view: ShedView): void;
  state(state: ShedSocketState): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** server/http/routes/charging.ts closes with this when the shed does not exist: retrying cannot help. */
const NO_SUCH_SHED = 4404;

export function watchShed(shedId: string, on: ShedSocketHandlers): { close(): void } {
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const wake = (): void => {
    if (document.visibilityState === 'visible' && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
      open();
    }
  };

  function open(): void {
    on.state('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/public/sheds/${encodeURIComponent(shedId)}/live`);
    socket = ws;
    ws.onmessage = (ev) => {
      let msg: { type?: string } & Partial<ShedView>;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return; // the server only sends JSON; a stray frame is not worth a crash
      }
      if (msg.type !== 'shed' || !Array.isArray(msg.ports)) return;
      failures = 0;
      on.state('live');
      on.view(msg as ShedView);
    };
    ws.onclose = (ev) => {
      if (ws !== socket || stopped) return;
      socket = undefined;
      if (ev.code === NO_SUCH_SHED) return on.state('gone');
      const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
      failures += 1;
      on.state('reconnecting');
      timer = setTimeout(() => ((timer = undefined), open()), Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
    };
  }

  document.addEventListener('visibilitychange', wake);
  window.addEventListener('online', wake);
  open();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('online', wake);
      socket?.close(1000);
    },
  };
}
