import { InteractionResponseType } from 'discord-api-types/v10';
import type { DemoGuild, Persona } from './demo-guild.js';
import { ImpossibleInteractionError, type DiscordStandIn, type InteractionHandle, type ModalFieldValue, type OptionValue } from './stand-in.js';

/** What the page asks for: one user action, as the persona. */
export type Action =
  | { kind: 'command'; channelId: string; command: string; subcommandGroup?: string; subcommand?: string; options: Record<string, OptionValue> }
  | { kind: 'autocomplete'; channelId: string; command: string; subcommandGroup?: string; subcommand?: string; options: Record<string, OptionValue>; focused: string }
  | { kind: 'button'; channelId: string; messageId: string; customId: string }
  | { kind: 'select'; channelId: string; messageId: string; customId: string; values: string[] }
  | { kind: 'modal'; channelId: string; customId: string; fields: Record<string, ModalFieldValue> }
  | { kind: 'message'; channelId: string; content: string };

export type ActionResult =
  | { ok: true; modal?: unknown; choices?: unknown[] }
  | { ok: false; error: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 4000;

/** Checks the shape of a request body; anything else is refused before it reaches the stand-in. */
export function parseAction(body: unknown): Action | null {
  if (!isRecord(body) || !str(body.kind) || !str(body.channelId)) return null;
  const optionsOk = (value: unknown): value is Record<string, OptionValue> =>
    isRecord(value) && Object.values(value).every((entry) => ['string', 'number', 'boolean'].includes(typeof entry));
  const names = (input: Record<string, unknown>) => ({
    command: input.command as string,
    ...(str(input.subcommandGroup) ? { subcommandGroup: input.subcommandGroup } : {}),
    ...(str(input.subcommand) ? { subcommand: input.subcommand } : {}),
  });
  switch (body.kind) {
    case 'command':
      return str(body.command) && optionsOk(body.options) ? { kind: 'command', channelId: body.channelId, ...names(body), options: body.options } : null;
    case 'autocomplete':
      return str(body.command) && optionsOk(body.options) && str(body.focused)
        ? { kind: 'autocomplete', channelId: body.channelId, ...names(body), options: body.options, focused: body.focused }
        : null;
    case 'button':
      return str(body.messageId) && str(body.customId) ? { kind: 'button', channelId: body.channelId, messageId: body.messageId, customId: body.customId } : null;
    case 'select':
      return str(body.messageId) && str(body.customId) && Array.isArray(body.values) && body.values.every(str)
        ? { kind: 'select', channelId: body.channelId, messageId: body.messageId, customId: body.customId, values: body.values as string[] }
        : null;
    case 'modal': {
      const fields = body.fields;
      const fieldsOk =
        isRecord(fields) &&
        Object.values(fields).every((value) => typeof value === 'string' || typeof value === 'boolean' || value === null || (Array.isArray(value) && value.every((entry) => typeof entry === 'string')));
      return str(body.customId) && fieldsOk ? { kind: 'modal', channelId: body.channelId, customId: body.customId, fields: fields as Record<string, ModalFieldValue> } : null;
    }
    case 'message':
      return str(body.content) ? { kind: 'message', channelId: body.channelId, content: body.content } : null;
    default:
      return null;
  }
}

/**
 * Injects the action as Discord would deliver it to the bot (INTERACTION_CREATE built by the
 * stand-in, with the persona's locale and permissions) and waits for the bot's first answer.
 * Messages the answer creates reach the page through the live feed; modals and autocomplete
 * choices come back here, as they are for this user alone.
 */
export async function perform(standIn: DiscordStandIn, demo: DemoGuild, persona: Persona, action: Action): Promise<ActionResult> {
  const at = { guildId: demo.guildId, channelId: action.channelId, userId: persona.userId, locale: persona.locale };
  let handle: InteractionHandle;
  try {
    switch (action.kind) {
      case 'message':
        standIn.simulateUserMessage(action.channelId, persona.userId, action.content);
        return { ok: true };
      case 'command':
        handle = standIn.chatInput({ ...at, command: action.command, subcommandGroup: action.subcommandGroup, subcommand: action.subcommand, options: action.options });
        break;
      case 'autocomplete':
        handle = standIn.autocomplete({
          ...at,
          command: action.command,
          subcommandGroup: action.subcommandGroup,
          subcommand: action.subcommand,
          options: action.options,
          focused: action.focused,
        });
        break;
      case 'button':
        handle = standIn.clickButton({ ...at, messageId: action.messageId, customId: action.customId });
        break;
      case 'select':
        handle = standIn.selectMenu({ ...at, messageId: action.messageId, customId: action.customId, values: action.values });
        break;
      case 'modal':
        handle = standIn.submitModal({ ...at, customId: action.customId, fields: action.fields });
        break;
    }
  } catch (error) {
    // What Discord's client would never let the user do (a hidden channel, a missing required option...).
    if (error instanceof ImpossibleInteractionError || error instanceof Error) return { ok: false, error: error.message };
    throw error;
  }
  try {
    // Discord waits 3 s for the first answer, then shows "The application did not respond".
    const callback = await handle.response(3_500);
    if (callback.type === InteractionResponseType.Modal) return { ok: true, modal: handle.modal };
    if (callback.type === InteractionResponseType.ApplicationCommandAutocompleteResult) return { ok: true, choices: handle.choices ?? [] };
    return { ok: true };
  } catch {
    const rejected = handle.rejectedCallbacks.map((entry) => `${entry.code} ${entry.message}`).join('; ');
    return { ok: false, error: `The application did not respond${rejected ? ` (Discord refused its answer: ${rejected})` : ''}` };
  }
}
