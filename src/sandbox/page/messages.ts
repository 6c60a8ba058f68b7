import { markdown, type MarkdownContext } from './markdown.js';
import type { Component, Embed, MessageView } from './types.js';

export interface MessageActions extends MarkdownContext {
  avatar(userId: string): string;
  click(message: MessageView, customId: string): void;
  select(message: MessageView, customId: string, values: string[]): void;
  dismiss(messageId: string): void;
}

const BUTTON_TYPES: Record<number, string> = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'destructive', 5: 'secondary', 6: 'primary' };

const hex = (color: number) => `#${color.toString(16).padStart(6, '0')}`;

/** The components print timestamp strings as given; Discord shows them in the reader's locale. */
const when = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

function embedElement(embed: Embed, ctx: MessageActions): HTMLElement {
  const node = document.createElement('discord-embed');
  node.setAttribute('slot', 'embeds');
  if (embed.color !== undefined) node.setAttribute('color', hex(embed.color));
  if (embed.title) node.setAttribute('embed-title', embed.title);
  if (embed.url) node.setAttribute('url', embed.url);
  // Images and icons are left out on purpose: they would be fetched from outside this computer.
  if (embed.author?.name) node.setAttribute('author-name', embed.author.name);
  if (embed.description) {
    const description = document.createElement('discord-embed-description');
    description.setAttribute('slot', 'description');
    description.appendChild(markdown(embed.description, ctx));
    node.appendChild(description);
  }
  if (embed.fields && embed.fields.length > 0) {
    const fields = document.createElement('discord-embed-fields');
    fields.setAttribute('slot', 'fields');
    let inlineIndex = 0;
    for (const field of embed.fields) {
      const element = document.createElement('discord-embed-field');
      element.setAttribute('field-title', field.name);
      if (field.inline) {
        inlineIndex = (inlineIndex % 3) + 1;
        element.setAttribute('inline', '');
        element.setAttribute('inline-index', String(inlineIndex));
      } else inlineIndex = 0;
      element.appendChild(markdown(field.value, ctx));
      fields.appendChild(element);
    }
    node.appendChild(fields);
  }
  if (embed.footer?.text || embed.timestamp) {
    const footer = document.createElement('discord-embed-footer');
    footer.setAttribute('slot', 'footer');
    if (embed.timestamp) footer.setAttribute('timestamp', when(embed.timestamp, ctx.snapshot.persona.locale));
    footer.textContent = embed.footer?.text ?? '';
    node.appendChild(footer);
  }
  return node;
}

function buttonElement(component: Component, message: MessageView, ctx: MessageActions): HTMLElement {
  const button = document.createElement('discord-button');
  button.setAttribute('type', BUTTON_TYPES[component.style ?? 2] ?? 'secondary');
  if (component.disabled) button.setAttribute('disabled', '');
  const label = `${component.emoji?.name && !component.emoji.id ? `${component.emoji.name} ` : ''}${component.label ?? ''}`.trim();
  button.textContent = label;
  if (component.style === 5 && component.url) {
    button.setAttribute('url', component.url);
  } else if (component.custom_id) {
    const customId = component.custom_id;
    button.addEventListener('click', () => {
      if (!component.disabled) ctx.click(message, customId);
    });
  }
  return button;
}

function selectElement(component: Component, message: MessageView, ctx: MessageActions): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'select-menu';
  const select = document.createElement('select');
  const multiple = (component.max_values ?? 1) > 1;
  select.multiple = multiple;
  select.disabled = component.disabled === true;
  select.setAttribute('aria-label', component.placeholder ?? 'Make a selection');
  if (!multiple) {
    const placeholder = document.createElement('option');
    placeholder.value = '';
    placeholder.textContent = component.placeholder ?? 'Make a selection';
    placeholder.disabled = true;
    placeholder.selected = true;
    select.appendChild(placeholder);
  }
  for (const option of component.options ?? []) {
    const element = document.createElement('option');
    element.value = option.value;
    element.textContent = `${option.emoji?.name ? `${option.emoji.name} ` : ''}${option.label}${option.description ? ` — ${option.description}` : ''}`;
    element.selected = option.default === true && multiple;
    select.appendChild(element);
  }
  const customId = component.custom_id ?? '';
  const submit = () => {
    const values = [...select.selectedOptions].map((option) => option.value).filter((value) => value !== '');
    if (values.length > 0) ctx.select(message, customId, values);
  };
  wrapper.appendChild(select);
  if (multiple) {
    const apply = document.createElement('button');
    apply.type = 'button';
    apply.textContent = 'Apply';
    apply.className = 'plain-button';
    apply.addEventListener('click', submit);
    wrapper.appendChild(apply);
  } else select.addEventListener('change', submit);
  return wrapper;
}

function componentsOf(message: MessageView, ctx: MessageActions): HTMLElement[] {
  return message.components.map((row) => {
    const element = document.createElement('discord-action-row');
    element.setAttribute('slot', 'components');
    for (const component of row.components ?? []) {
      if (component.type === 2) element.appendChild(buttonElement(component, message, ctx));
      else if (component.type === 3) element.appendChild(selectElement(component, message, ctx));
    }
    // Components V2 text (type 10) is shown as markdown; the bot does not send it today.
    if (row.type === 10 && row.content) element.appendChild(markdown(row.content, ctx));
    return element;
  });
}

/** One Discord message: an `article` named by its author, drawn with the Discord message components. */
export function messageElement(message: MessageView, ctx: MessageActions): HTMLElement {
  const node = document.createElement('discord-message');
  node.setAttribute('role', 'article');
  node.setAttribute('aria-label', `${message.author.name}${message.ephemeral ? ' (only you can see this)' : ''}`);
  node.dataset.messageId = message.id;
  node.setAttribute('author', message.author.name);
  node.setAttribute('avatar', ctx.avatar(message.author.id));
  node.setAttribute('timestamp', when(message.timestamp, ctx.snapshot.persona.locale));
  node.setAttribute('twenty-four', '');
  if (message.author.bot) node.setAttribute('bot', '');
  if (message.edited) node.setAttribute('edited', '');
  if (message.ephemeral) {
    node.setAttribute('ephemeral', '');
    (node as HTMLElement & { dismissMessageClicked?: () => void }).dismissMessageClicked = () => ctx.dismiss(message.id);
  }
  if (message.usedCommand) {
    const reply = document.createElement('div');
    reply.setAttribute('slot', 'reply');
    reply.className = 'used-command';
    reply.textContent = `${message.usedCommand.user} used `;
    const command = document.createElement('span');
    command.className = 'used-command-name';
    command.textContent = `/${message.usedCommand.command}`;
    reply.appendChild(command);
    node.appendChild(reply);
  }
  if (message.content) node.appendChild(markdown(message.content, ctx));
  for (const embed of message.embeds) node.appendChild(embedElement(embed, ctx));
  for (const row of componentsOf(message, ctx)) node.appendChild(row);
  return node;
}
