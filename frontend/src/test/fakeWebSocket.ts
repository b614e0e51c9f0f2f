// A scriptable stand-in for the browser WebSocket, for hook and controller tests.
export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static reset() {
    FakeWebSocket.instances = [];
  }

  static last(): FakeWebSocket {
    const ws = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (!ws) throw new Error("no websocket opened");
    return ws;
  }

  open() {
    this.onopen?.(new Event("open"));
  }

  send(_data: string) {}

  receive(message: unknown) {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(message) }));
  }

  /** The server or network closes the connection. */
  drop() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.(new CloseEvent("close", { code: 1006 }));
  }

  close(code = 1000) {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.(new CloseEvent("close", { code }));
  }
}
