import type { APIMessage } from 'discord.js';

export interface ButtonView {
  customId: string;
  label: string;
  disabled: boolean;
}

/** The buttons (and other components) of a message, flattened out of its action rows. */
export function buttons(message: APIMessage | undefined): ButtonView[] {
  return (message?.components ?? []).flatMap((row) =>
    'components' in row
      ? row.components.map((component) => ({
          customId: 'custom_id' in component ? String(component.custom_id) : '',
          label: 'label' in component ? String(component.label) : '',
          disabled: 'disabled' in component ? Boolean(component.disabled) : false,
        }))
      : [],
  );
}

export function customIds(message: APIMessage | undefined): string[] {
  return buttons(message).map((button) => button.customId);
}
