// A websocket that reconnects by itself with backoff. The URL is recomputed for every
// connection so callers can resume (`?after=<last seq>`).

export function wsUrl(path: string, loc: Pick<Location, "protocol" | "host"> = window.location) {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}${path}`;
}

export type SocketState = "connecting" | "open" | "reconnecting" | "closed";

export interface ReconnectingSocketOptions {
  url: () => string;
  onMessage: (data: unknown) => void;
  onState?: (state: SocketState, info: { failures: number }) => void;
  /** Backoff bounds in ms. */
  minDelay?: number;
  maxDelay?: number;
  /** For tests: the WebSocket constructor. */
  WebSocketImpl?: typeof WebSocket;
}

export class ReconnectingSocket {
  private ws: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** Connections in a row that closed without ever opening (refused handshake, no server). */
  failures = 0;
  state: SocketState = "connecting";

  constructor(private readonly options: ReconnectingSocketOptions) {
    this.connect();
  }

  private setState(state: SocketState): void {
    this.state = state;
    this.options.onState?.(state, { failures: this.failures });
  }

  private connect(): void {
    if (this.stopped) return;
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const ws = new Impl(this.options.url());
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.failures = 0;
      this.setState("open");
    };
    ws.onmessage = (event: MessageEvent) => {
      if (this.ws !== ws) return;
      let data: unknown;
      try {
        data = JSON.parse(String(event.data));
      } catch {
        return;
      }
      this.options.onMessage(data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (!opened) this.failures += 1;
      this.setState("reconnecting");
      const min = this.options.minDelay ?? 300;
      const max = this.options.maxDelay ?? 10_000;
      const delay = Math.min(max, min * 2 ** Math.min(this.failures, 10));
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  /** Drop the current connection (it reconnects); used on gaps and by tests. */
  drop(): void {
    this.ws?.close(4000, "client drop");
  }

  /** Stop for good. */
  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
    this.setState("closed");
  }
}
