// The one place the sandbox imports the Discord API stand-in from, so moving the stand-in into the
// product is a change to this path only.
export { DiscordStandIn, ImpossibleInteractionError } from '../stand-in/index.js';
export type { InteractionHandle, ModalFieldValue, OptionValue, StoredMessage } from '../stand-in/index.js';
