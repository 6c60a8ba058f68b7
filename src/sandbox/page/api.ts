import type { ActionResult, MessageView, Snapshot } from './types.js';

/** Talks to the sandbox server; every request carries the key the sandbox printed. */
export class Api {
  constructor(
    private readonly key: string,
    public persona: string,
  ) {}

  private url(path: string, params: Record<string, string> = {}): string {
    const query = new URLSearchParams({ key: this.key, persona: this.persona, ...params });
    return `${path}?${query.toString()}`;
  }

  async snapshot(): Promise<Snapshot> {
    const response = await fetch(this.url('/api/snapshot'));
    if (!response.ok) throw new Error(`snapshot: ${response.status}`);
    return (await response.json()) as Snapshot;
  }

  async messages(channelId: string): Promise<MessageView[] | null> {
    const response = await fetch(this.url('/api/messages', { channel: channelId }));
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`messages: ${response.status}`);
    return (await response.json()) as MessageView[];
  }

  async act(action: Record<string, unknown>): Promise<ActionResult> {
    const response = await fetch(this.url('/api/act'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(action) });
    return (await response.json()) as ActionResult;
  }

  avatar(userId: string): string {
    return `/avatars/${userId}.svg?key=${encodeURIComponent(this.key)}`;
  }

  /** The live feed: calls `onChange` whenever something a page can show changed; reconnects. */
  live(onChange: () => void): void {
    const connect = () => {
      const socket = new WebSocket(`ws://${location.host}/live?key=${encodeURIComponent(this.key)}`);
      socket.addEventListener('message', () => onChange());
      socket.addEventListener('open', () => onChange());
      socket.addEventListener('close', () => setTimeout(connect, 1000));
    };
    connect();
  }
}
