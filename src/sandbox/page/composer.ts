import type { CommandView, OptionView, Snapshot } from './types.js';

type OptionValue = string | number | boolean;

export interface ComposerHost {
  snapshot(): Snapshot;
  channelId(): string;
  text(): { messagePlaceholder: string; send: string; required: string; pickCommand: string };
  sendMessage(content: string): Promise<string | null>;
  runCommand(command: CommandView, options: Record<string, OptionValue>): Promise<string | null>;
  autocomplete(command: CommandView, options: Record<string, OptionValue>, focused: string): Promise<{ name: string; value: string | number }[]>;
}

interface OptionControl {
  option: OptionView;
  read(): OptionValue | undefined;
}

const OPTION = { string: 3, integer: 4, boolean: 5, user: 6, channel: 7, role: 8, mentionable: 9, number: 10 } as const;

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${(counter += 1)}`;

/**
 * The message box with Discord's slash-command picker: typing "/" lists the commands the persona
 * may use (in their language); choosing one shows its options, with choices and live autocomplete.
 */
export class Composer {
  readonly element = document.createElement('form');
  private readonly input = document.createElement('input');
  private readonly picker = document.createElement('div');
  private readonly form = document.createElement('div');
  private readonly error = document.createElement('div');
  private readonly sendButton = document.createElement('button');
  private selected: CommandView | null = null;
  private controls: OptionControl[] = [];
  private matches: CommandView[] = [];
  private active = 0;

  constructor(private readonly host: ComposerHost) {
    this.element.className = 'composer';
    this.picker.className = 'picker';
    this.picker.id = nextId('picker');
    this.picker.setAttribute('role', 'listbox');
    this.picker.setAttribute('aria-label', 'Commands');
    this.picker.hidden = true;
    this.form.className = 'command-form';
    this.form.hidden = true;
    this.error.className = 'composer-error';
    this.error.setAttribute('role', 'alert');
    const bar = document.createElement('div');
    bar.className = 'composer-bar';
    this.input.type = 'text';
    this.input.autocomplete = 'off';
    this.input.setAttribute('aria-label', 'Message');
    this.input.setAttribute('aria-controls', this.picker.id);
    this.sendButton.type = 'submit';
    this.sendButton.className = 'send-button';
    bar.append(this.input, this.sendButton);
    this.element.append(this.picker, this.form, this.error, bar);
    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
  }

  /** Called when the persona, channel or commands change. */
  refresh(channelName: string, canSend: boolean): void {
    this.input.placeholder = `${this.host.text().messagePlaceholder} #${channelName}`;
    this.input.disabled = !canSend;
    this.sendButton.textContent = this.host.text().send;
    this.sendButton.disabled = !canSend;
    if (this.selected) {
      const still = this.host.snapshot().commands.find((command) => sameCommand(command, this.selected!));
      if (!still) this.reset();
    }
  }

  showError(message: string): void {
    this.error.textContent = message;
  }

  reset(): void {
    this.selected = null;
    this.controls = [];
    this.form.hidden = true;
    this.form.replaceChildren();
    this.picker.hidden = true;
    this.input.value = '';
    this.error.textContent = '';
  }

  private onInput(): void {
    const value = this.input.value;
    this.error.textContent = '';
    if (this.selected && !value.startsWith(`/${this.selected.label}`)) {
      this.selected = null;
      this.controls = [];
      this.form.hidden = true;
      this.form.replaceChildren();
    }
    if (!this.selected && value.startsWith('/')) this.showPicker(value.slice(1).trim().toLocaleLowerCase());
    else this.picker.hidden = true;
  }

  private showPicker(query: string): void {
    const commands = this.host.snapshot().commands;
    const starts = commands.filter((command) => command.label.toLocaleLowerCase().startsWith(query));
    const contains = commands.filter((command) => !starts.includes(command) && command.label.toLocaleLowerCase().includes(query));
    this.matches = [...starts, ...contains].slice(0, 25);
    this.active = 0;
    this.picker.replaceChildren(
      ...this.matches.map((command, index) => {
        const item = document.createElement('div');
        item.setAttribute('role', 'option');
        item.id = nextId('command');
        item.className = 'picker-item';
        const name = document.createElement('span');
        name.className = 'picker-name';
        name.textContent = `/${command.label}`;
        const description = document.createElement('span');
        description.className = 'picker-description';
        description.textContent = command.description;
        item.append(name, description);
        item.addEventListener('mousedown', (event) => event.preventDefault());
        item.addEventListener('click', () => this.choose(command));
        item.setAttribute('aria-selected', String(index === 0));
        return item;
      }),
    );
    this.picker.hidden = this.matches.length === 0;
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.picker.hidden && this.matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + this.matches.length) % this.matches.length;
        [...this.picker.children].forEach((child, index) => child.setAttribute('aria-selected', String(index === this.active)));
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        this.choose(this.matches[this.active]!);
        return;
      }
    }
    if (event.key === 'Escape') this.reset();
  }

  private choose(command: CommandView): void {
    this.selected = command;
    this.picker.hidden = true;
    this.input.value = `/${command.label} `;
    this.controls = command.options.map((option) => this.control(command, option));
    const heading = document.createElement('div');
    heading.className = 'command-heading';
    const name = document.createElement('strong');
    name.textContent = `/${command.label}`;
    heading.append(name, document.createTextNode(` — ${command.description}`));
    this.form.replaceChildren(heading, ...this.controls.map((control) => (control as OptionControl & { element: HTMLElement }).element));
    this.form.hidden = false;
    const first = this.form.querySelector<HTMLElement>('input, select');
    (first ?? this.input).focus();
  }

  private control(command: CommandView, option: OptionView): OptionControl & { element: HTMLElement } {
    const snapshot = this.host.snapshot();
    const wrapper = document.createElement('div');
    wrapper.className = 'option-field';
    const id = nextId('option');
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = option.label;
    if (option.required) {
      const star = document.createElement('span');
      star.className = 'required';
      star.textContent = ' *';
      star.setAttribute('aria-hidden', 'true');
      label.appendChild(star);
    }
    const hint = document.createElement('span');
    hint.className = 'option-hint';
    hint.id = `${id}-hint`;
    hint.textContent = option.description;
    wrapper.append(label);

    const selectFrom = (entries: [string, string][], placeholder = '—'): HTMLSelectElement => {
      const select = document.createElement('select');
      const empty = document.createElement('option');
      empty.value = '';
      empty.textContent = placeholder;
      select.appendChild(empty);
      for (const [value, text] of entries) {
        const element = document.createElement('option');
        element.value = value;
        element.textContent = text;
        select.appendChild(element);
      }
      return select;
    };
    let control: HTMLInputElement | HTMLSelectElement;
    let read: () => OptionValue | undefined;
    const members = Object.entries(snapshot.users).filter(([, user]) => !user.bot).map(([userId, user]) => [userId, user.name] as [string, string]);
    const roles = Object.entries(snapshot.roles)
      .filter(([roleId]) => roleId !== snapshot.guild.id)
      .map(([roleId, role]) => [roleId, `@${role.name}`] as [string, string]);
    if (option.choices.length > 0) {
      const select = selectFrom(option.choices.map((choice) => [String(choice.value), choice.name]));
      control = select;
      read = () => {
        if (select.value === '') return undefined;
        const choice = option.choices.find((entry) => String(entry.value) === select.value);
        return choice?.value;
      };
    } else if (option.type === OPTION.boolean) {
      const select = selectFrom([['true', 'True'], ['false', 'False']]);
      control = select;
      read = () => (select.value === '' ? undefined : select.value === 'true');
    } else if (option.type === OPTION.channel) {
      const kinds = option.channelTypes;
      const channels = snapshot.channels.filter((channel) => {
        const type = channel.thread ? (channel.privateThread ? 12 : 11) : 0;
        return !kinds || kinds.includes(type);
      });
      const select = selectFrom(channels.map((channel) => [channel.id, `#${channel.name}`]));
      control = select;
      read = () => select.value || undefined;
    } else if (option.type === OPTION.user || option.type === OPTION.role || option.type === OPTION.mentionable) {
      const entries = option.type === OPTION.user ? members : option.type === OPTION.role ? roles : [...members, ...roles];
      const select = selectFrom(entries);
      control = select;
      read = () => select.value || undefined;
    } else {
      const input = document.createElement('input');
      const numeric = option.type === OPTION.integer || option.type === OPTION.number;
      // An autocompleted number shows the choice's name, so its box is text; the value is sent as a number.
      input.type = numeric && !option.autocomplete ? 'number' : 'text';
      input.autocomplete = 'off';
      if (option.minValue !== null) input.min = String(option.minValue);
      if (option.maxValue !== null) input.max = String(option.maxValue);
      if (option.maxLength !== null) input.maxLength = option.maxLength;
      if (option.type === OPTION.number) input.step = 'any';
      control = input;
      read = () => {
        if (input.value.trim() === '') return undefined;
        const raw = input.dataset.value ?? input.value;
        return numeric ? Number(raw) : raw;
      };
      if (option.autocomplete) this.attachAutocomplete(command, option, input, wrapper);
    }
    control.id = id;
    control.setAttribute('aria-describedby', hint.id);
    control.addEventListener('keydown', (event: Event) => {
      if ((event as KeyboardEvent).key === 'Enter') {
        event.preventDefault();
        void this.send();
      }
    });
    wrapper.insertBefore(control, null);
    wrapper.appendChild(hint);
    return { option, read, element: wrapper };
  }

  private attachAutocomplete(command: CommandView, option: OptionView, input: HTMLInputElement, wrapper: HTMLElement): void {
    const list = document.createElement('div');
    list.className = 'suggestions';
    list.id = nextId('suggestions');
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', `${option.label}: suggestions`);
    list.hidden = true;
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-autocomplete', 'list');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asked = 0;
    const ask = () => {
      const sequence = (asked += 1);
      const options = this.values();
      options[option.name] = input.value;
      void this.host.autocomplete(command, options, option.name).then((choices) => {
        if (sequence !== asked) return;
        list.replaceChildren(
          ...choices.map((choice) => {
            const item = document.createElement('div');
            item.setAttribute('role', 'option');
            item.className = 'suggestion';
            item.textContent = choice.name;
            item.addEventListener('mousedown', (event) => event.preventDefault());
            item.addEventListener('click', () => {
              input.value = choice.name;
              input.dataset.value = String(choice.value);
              list.hidden = true;
            });
            return item;
          }),
        );
        list.hidden = choices.length === 0;
      });
    };
    input.addEventListener('input', () => {
      delete input.dataset.value;
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener('focus', () => {
      if (input.dataset.value === undefined) ask();
    });
    input.addEventListener('blur', () => setTimeout(() => (list.hidden = true), 150));
    wrapper.appendChild(list);
  }

  private values(): Record<string, OptionValue> {
    const values: Record<string, OptionValue> = {};
    for (const control of this.controls) {
      const value = control.read();
      if (value !== undefined) values[control.option.name] = value;
    }
    return values;
  }

  private async send(): Promise<void> {
    this.error.textContent = '';
    let problem: string | null;
    if (this.selected) {
      const values = this.values();
      const missing = this.controls.filter((control) => control.option.required && values[control.option.name] === undefined);
      if (missing.length > 0) {
        this.error.textContent = `${this.host.text().required}: ${missing.map((control) => control.option.label).join(', ')}`;
        return;
      }
      problem = await this.host.runCommand(this.selected, values);
    } else {
      const content = this.input.value.trim();
      if (!content) return;
      if (content.startsWith('/')) {
        this.error.textContent = this.host.text().pickCommand;
        return;
      }
      problem = await this.host.sendMessage(content);
    }
    if (problem) this.error.textContent = problem;
    else this.reset();
  }
}

export function sameCommand(a: CommandView, b: CommandView): boolean {
  return a.command === b.command && a.subcommandGroup === b.subcommandGroup && a.subcommand === b.subcommand;
}
