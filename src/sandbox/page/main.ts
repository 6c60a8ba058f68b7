// The sandbox page: a small Discord look-alike for one persona at a time, drawn with the Discord
// message web components (Lit). Everything comes from the sandbox server on 127.0.0.1.
import '@skyra/discord-components-core/discord-messages.js';
import '@skyra/discord-components-core/discord-message.js';
import '@skyra/discord-components-core/discord-embed.js';
import '@skyra/discord-components-core/discord-embed-description.js';
import '@skyra/discord-components-core/discord-embed-fields.js';
import '@skyra/discord-components-core/discord-embed-field.js';
import '@skyra/discord-components-core/discord-embed-footer.js';
import '@skyra/discord-components-core/discord-action-row.js';
import '@skyra/discord-components-core/discord-button.js';
import '@skyra/discord-components-core/discord-mention.js';
import './styles.css';
import { Api } from './api.js';
import { Composer } from './composer.js';
import { messageElement, type MessageActions } from './messages.js';
import { showModal } from './modal.js';
import type { ActionResult, ChannelView, MessageView, Modal, Snapshot } from './types.js';

const TEXT = {
  en: {
    banner: 'Sandbox: a local stand-in for Discord. Everything runs on this computer; it never connects to Discord.',
    persona: 'Persona',
    channels: 'Channels',
    messagePlaceholder: 'Message',
    send: 'Send',
    submit: 'Submit',
    cancel: 'Cancel',
    required: 'Fill in',
    pickCommand: 'Pick a command from the list.',
    noMessages: 'No messages here yet.',
  },
  es: {
    banner: 'Sandbox: un sustituto local de Discord. Todo funciona en este equipo; nunca se conecta a Discord.',
    persona: 'Persona',
    channels: 'Canales',
    messagePlaceholder: 'Enviar mensaje a',
    send: 'Enviar',
    submit: 'Enviar',
    cancel: 'Cancelar',
    required: 'Completa',
    pickCommand: 'Elige un comando de la lista.',
    noMessages: 'Todavía no hay mensajes.',
  },
};

const SVG = 'http://www.w3.org/2000/svg';

/** Channel icons as inline SVG: headless browsers often lack an emoji font. */
function channelIcon(kind: 'text' | 'thread' | 'private'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('channel-icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('fill', 'currentColor');
  const shapes = {
    text: 'M10 3 8.5 21h2L12 3zm5 0-1.5 18h2L17 3zM4 8v2h17V8zm-1 6v2h17v-2z',
    thread: 'M5 3h2v9a3 3 0 0 0 3 3h7.6l-3-3L16 10.6l5.4 5.4-5.4 5.4-1.4-1.4 3-3H10a5 5 0 0 1-5-5z',
    private: 'M12 2a5 5 0 0 0-5 5v3H5v12h14V10h-2V7a5 5 0 0 0-5-5zm-3 5a3 3 0 0 1 6 0v3H9zm3 6a2 2 0 0 1 1 3.7V19h-2v-2.3A2 2 0 0 1 12 13z',
  };
  path.setAttribute('d', shapes[kind]);
  svg.appendChild(path);
  return svg;
}

const kindOf = (channel: ChannelView) => (channel.thread ? (channel.privateThread ? 'private' : 'thread') : 'text');

class App {
  private readonly api: Api;
  private data!: Snapshot;
  private channelId = '';
  private readonly dismissed = new Set<string>();
  private readonly root: HTMLElement;
  private readonly banner = document.createElement('header');
  private readonly personaSelect = document.createElement('select');
  private readonly personaLabel = document.createElement('label');
  private readonly nav = document.createElement('nav');
  private readonly header = document.createElement('div');
  private readonly list = document.createElement('discord-messages');
  private readonly composer: Composer;
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(root: HTMLElement) {
    this.root = root;
    const params = new URLSearchParams(location.search);
    this.api = new Api(root.dataset.key ?? '', params.get('persona') ?? 'member');
    this.composer = new Composer({
      snapshot: () => this.data,
      channelId: () => this.channelId,
      text: () => this.text,
      sendMessage: (content) => this.act({ kind: 'message', channelId: this.channelId, content }),
      runCommand: (command, options) =>
        this.act({ kind: 'command', channelId: this.channelId, command: command.command, subcommandGroup: command.subcommandGroup, subcommand: command.subcommand, options }),
      autocomplete: async (command, options, focused) => {
        const result = await this.api.act({
          kind: 'autocomplete',
          channelId: this.channelId,
          command: command.command,
          subcommandGroup: command.subcommandGroup,
          subcommand: command.subcommand,
          options,
          focused,
        });
        return result.ok ? (result.choices ?? []) : [];
      },
    });
  }

  private get text() {
    return this.data?.persona.locale.startsWith('es') ? TEXT.es : TEXT.en;
  }

  async start(): Promise<void> {
    this.banner.className = 'banner';
    this.banner.setAttribute('role', 'banner');
    this.personaSelect.id = 'persona';
    this.personaLabel.htmlFor = 'persona';
    this.personaSelect.addEventListener('change', () => void this.switchPersona(this.personaSelect.value));
    const bannerText = document.createElement('span');
    bannerText.className = 'banner-text';
    const switcher = document.createElement('div');
    switcher.className = 'persona-switcher';
    switcher.append(this.personaLabel, this.personaSelect);
    this.banner.append(bannerText, switcher);
    this.nav.className = 'sidebar';
    this.header.className = 'channel-header';
    const main = document.createElement('main');
    main.className = 'chat';
    this.list.className = 'messages';
    this.list.setAttribute('no-background', '');
    main.append(this.header, this.list, this.composer.element);
    const layout = document.createElement('div');
    layout.className = 'layout';
    layout.append(this.nav, main);
    this.root.append(this.banner, layout);
    await this.refresh();
    this.api.live(() => void this.refresh());
  }

  private async switchPersona(key: string): Promise<void> {
    this.api.persona = key;
    history.replaceState(null, '', `?key=${encodeURIComponent(this.root.dataset.key ?? '')}&persona=${encodeURIComponent(key)}`);
    this.composer.reset();
    await this.refresh();
  }

  openChannel(channelId: string): void {
    this.channelId = channelId;
    this.composer.reset();
    void this.refresh();
  }

  /** Re-reads what the persona sees; coalesces bursts of live updates into one more pass. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again);
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      this.data = await this.api.snapshot();
    } catch (error) {
      // An unknown ?persona= in the address: fall back to the first persona.
      if (this.api.persona === 'member') throw error;
      this.api.persona = 'member';
      this.data = await this.api.snapshot();
    }
    const visible = this.data.channels.some((channel) => channel.id === this.channelId);
    if (!visible) this.channelId = this.data.channels[0]?.id ?? '';
    const messages = (await this.api.messages(this.channelId)) ?? [];
    this.render(messages);
  }

  private render(messages: MessageView[]): void {
    const text = this.text;
    document.documentElement.lang = this.data.persona.locale;
    (this.banner.querySelector('.banner-text') as HTMLElement).textContent = text.banner;
    this.personaLabel.textContent = text.persona;
    if (this.personaSelect.options.length !== this.data.personas.length) {
      this.personaSelect.replaceChildren(
        ...this.data.personas.map((persona) => {
          const option = document.createElement('option');
          option.value = persona.key;
          option.textContent = persona.label;
          return option;
        }),
      );
    }
    this.personaSelect.value = this.data.persona.key;
    this.renderSidebar(text.channels);
    const channel = this.data.channels.find((entry) => entry.id === this.channelId);
    this.header.replaceChildren();
    if (channel) {
      const name = document.createElement('h1');
      name.append(channelIcon(kindOf(channel)), document.createTextNode(` ${channel.name}`));
      this.header.append(name);
      if (channel.topic) {
        const topic = document.createElement('span');
        topic.className = 'channel-topic';
        topic.textContent = channel.topic;
        this.header.append(topic);
      }
    }
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    const ctx: MessageActions = {
      snapshot: this.data,
      openChannel: (id) => this.openChannel(id),
      avatar: (userId) => this.api.avatar(userId),
      click: (message, customId) => void this.report(this.act({ kind: 'button', channelId: message.channelId, messageId: message.id, customId })),
      select: (message, customId, values) => void this.report(this.act({ kind: 'select', channelId: message.channelId, messageId: message.id, customId, values })),
      dismiss: (messageId) => {
        this.dismissed.add(messageId);
        void this.refresh();
      },
    };
    const shown = messages.filter((message) => !this.dismissed.has(message.id));
    if (shown.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = text.noMessages;
      this.list.replaceChildren(empty);
    } else this.list.replaceChildren(...shown.map((message) => messageElement(message, ctx)));
    if (atBottom) requestAnimationFrame(() => (this.list.scrollTop = this.list.scrollHeight));
    this.composer.refresh(channel?.name ?? '', channel?.canSend ?? false);
  }

  private renderSidebar(label: string): void {
    this.nav.setAttribute('aria-label', label);
    const title = document.createElement('div');
    title.className = 'guild-name';
    title.textContent = this.data.guild.name;
    const list = document.createElement('ul');
    const item = (channel: ChannelView): HTMLLIElement => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = channel.thread ? 'channel thread' : 'channel';
      button.append(channelIcon(kindOf(channel)), document.createTextNode(channel.name));
      if (channel.id === this.channelId) button.setAttribute('aria-current', 'page');
      button.addEventListener('click', () => this.openChannel(channel.id));
      li.appendChild(button);
      return li;
    };
    const parents = this.data.channels.filter((channel) => !channel.thread);
    for (const parent of parents) {
      list.appendChild(item(parent));
      const threads = this.data.channels.filter((channel) => channel.thread && channel.parentId === parent.id);
      if (threads.length > 0) {
        const nested = document.createElement('ul');
        nested.className = 'threads';
        for (const thread of threads) nested.appendChild(item(thread));
        list.lastElementChild!.appendChild(nested);
      }
    }
    this.nav.replaceChildren(title, list);
  }

  private async report(outcome: Promise<string | null>): Promise<void> {
    const problem = await outcome;
    if (problem) this.composer.showError(problem);
  }

  /** Sends one action; opens a modal the bot answered with; returns an error to show, if any. */
  private async act(action: Record<string, unknown>): Promise<string | null> {
    const result: ActionResult = await this.api.act(action);
    if (!result.ok) return result.error;
    if (result.modal) this.openModal(result.modal, String(action.channelId));
    await this.refresh();
    return null;
  }

  private openModal(modal: Modal, channelId: string): void {
    showModal(modal, { submit: this.text.submit, cancel: this.text.cancel }, async (fields) => {
      const result = await this.api.act({ kind: 'modal', channelId, customId: modal.custom_id, fields });
      if (!result.ok) return result.error;
      await this.refresh();
      return null;
    });
  }
}

void new App(document.getElementById('app')!).start();
