import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { postSequences } from '../../db/schema/index.js';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/** Next per-guild number (`#3`) for a kind of record; numbers of removed records are never reused. */
export function nextNumber(db: DbOrTx, guildId: string, kind: 'schedule' | 'action' | 'update' | 'feed'): number {
  const row = db
    .insert(postSequences)
    .values({ guildId, kind, last: 1 })
    .onConflictDoUpdate({ target: [postSequences.guildId, postSequences.kind], set: { last: sql`${postSequences.last} + 1` } })
    .returning({ last: postSequences.last })
    .get();
  return row.last;
}
