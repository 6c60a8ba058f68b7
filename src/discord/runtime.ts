import type { Client } from 'discord.js';
import type { Config } from '../config.js';
import type { CommandModule } from './types.js';

/** Discord-side state handed to handlers next to the domain services. */
export interface BotRuntime {
  client: Client<true>;
  config: Config;
  commands: readonly CommandModule[];
}
