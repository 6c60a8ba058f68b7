/** Discord epoch (2015-01-01T00:00:00.000Z); snowflakes carry milliseconds since then in bits 22+. */
const DISCORD_EPOCH = 1420070400000n;

/**
 * Generates strictly increasing snowflakes from the current time, like Discord does, so
 * discord.js can derive `createdAt` and @discordjs/rest's `\d{17,19}` route hashing works.
 */
export class SnowflakeGenerator {
  private last = 0n;

  next(): string {
    const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    // Same millisecond (or clock going backwards): bump the increment bits instead.
    this.last = fromClock > this.last ? fromClock : this.last + 1n;
    return this.last.toString();
  }
}

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
