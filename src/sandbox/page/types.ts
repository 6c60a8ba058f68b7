// Shapes the sandbox server sends (see src/sandbox/view.ts); kept here so the page bundle has no server code in it.
export interface Snapshot {
  guild: { id: string; name: string };
  persona: { key: string; userId: string; locale: string };
  personas: { key: string; label: string }[];
  botUserId: string;
  channels: ChannelView[];
  users: Record<string, { name: string; bot: boolean }>;
  roles: Record<string, { name: string; color: number }>;
  channelNames: Record<string, string>;
  commands: CommandView[];
}

export interface ChannelView {
  id: string;
  name: string;
  topic: string | null;
  parentId: string | null;
  thread: boolean;
  privateThread: boolean;
  canSend: boolean;
}

export interface CommandView {
  command: string;
  subcommandGroup?: string;
  subcommand?: string;
  label: string;
  description: string;
  options: OptionView[];
}

export interface OptionView {
  name: string;
  label: string;
  description: string;
  type: number;
  required: boolean;
  autocomplete: boolean;
  choices: { name: string; value: string | number }[];
  channelTypes: number[] | null;
  minValue: number | null;
  maxValue: number | null;
  maxLength: number | null;
}

export interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  author?: { name: string };
}

export interface Component {
  type: number;
  id?: number;
  custom_id?: string;
  label?: string;
  style?: number;
  url?: string;
  disabled?: boolean;
  emoji?: { name?: string; id?: string | null };
  placeholder?: string;
  min_values?: number;
  max_values?: number;
  required?: boolean;
  value?: string;
  min_length?: number;
  max_length?: number;
  description?: string;
  content?: string;
  options?: { label: string; value: string; description?: string; default?: boolean; emoji?: { name?: string } }[];
  components?: Component[];
  component?: Component;
}

export interface MessageView {
  id: string;
  channelId: string;
  author: { id: string; name: string; bot: boolean };
  content: string;
  embeds: Embed[];
  components: Component[];
  timestamp: string;
  edited: boolean;
  ephemeral: boolean;
  usedCommand: { user: string; command: string } | null;
}

export interface Modal {
  custom_id: string;
  title: string;
  components: Component[];
}

export type ActionResult = { ok: true; modal?: Modal; choices?: { name: string; value: string | number }[] } | { ok: false; error: string };
