import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { botState } from '../db/schema/index.js';
import type { Clock } from './clock.js';

export class BotStateStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get(key: string): string | undefined {
    return this.db.select({ value: botState.value }).from(botState).where(eq(botState.key, key)).get()?.value;
  }

  set(key: string, value: string): void {
    const updatedAt = this.clock.now();
    this.db
      .insert(botState)
      .values({ key, value, updatedAt })
      .onConflictDoUpdate({ target: botState.key, set: { value, updatedAt } })
      .run();
  }
}
