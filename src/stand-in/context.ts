import type { Gateway } from './gateway.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { StandInState } from './state.js';

/** What the REST, interaction and message modules share; implemented by `DiscordStandIn`. */
export interface StandInContext {
  readonly state: StandInState;
  readonly gateway: Gateway;
  readonly ids: SnowflakeGenerator;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** Privileged intents switched on in the (simulated) developer portal. */
  readonly enabledPrivilegedIntents: number;
  /** The application's flags as GET /applications/@me and READY report them (the intents' Gateway* bits). */
  readonly applicationFlags: number;
  /** Deprecated/suspicious-but-allowed behaviour the bot exhibited, for tests to assert on. */
  readonly warnings: string[];
}
