import {
  ButtonStyle,
  ComponentType,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  Routes,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIMessage,
  type Client,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { PostButton, PostMessage } from '../../domain/posts/message.js';
import { PublishError, type PostPublisher } from '../../domain/posts/outbox.js';
import { encodeCustomId } from '../custom-id.js';

const DISCORD_EPOCH = 1_420_070_400_000n;

const STYLES = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
} as const;

function button(spec: PostButton): APIButtonComponent {
  if (spec.kind === 'link') return { type: ComponentType.Button, style: ButtonStyle.Link, label: spec.label, url: spec.url };
  return {
    type: ComponentType.Button,
    style: STYLES[spec.style],
    label: spec.label,
    custom_id: encodeCustomId(spec.namespace, spec.verb, ...spec.args),
  };
}

export function toEmbeds(message: PostMessage): APIEmbed[] {
  return (message.embeds ?? []).map((embed) => ({
    ...(embed.title !== undefined ? { title: embed.title } : {}),
    ...(embed.url !== undefined ? { url: embed.url } : {}),
    ...(embed.description !== undefined ? { description: embed.description } : {}),
    ...(embed.color !== undefined ? { color: embed.color } : {}),
    ...(embed.fields?.length ? { fields: embed.fields } : {}),
    ...(embed.footer !== undefined ? { footer: { text: embed.footer } } : {}),
  }));
}

/** A stored post as Discord's message JSON; mentions stay off except the roles the post names. */
export function toMessageBody(message: PostMessage): RESTPostAPIChannelMessageJSONBody {
  const components: APIActionRowComponent<APIButtonComponent>[] = (message.buttons ?? []).map((row) => ({
    type: ComponentType.ActionRow,
    components: row.map(button),
  }));
  return {
    ...(message.content ? { content: message.content } : {}),
    ...(message.embeds?.length ? { embeds: toEmbeds(message) } : {}),
    ...(components.length ? { components } : {}),
    allowed_mentions: { parse: [], ...(message.pingRoles?.length ? { roles: message.pingRoles } : {}) },
  };
}

/** The smallest snowflake created at `ms` (for `after=` queries). */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH) << 22n).toString();
}

/**
 * Sends outbox posts over REST with Discord's `nonce` + `enforce_nonce`, so a re-send of the same
 * post within a few minutes returns the message already created instead of a second one. discord.js
 * retries 5xx a few times and waits out 429s itself; what still fails is classified for the outbox.
 */
export class DiscordPostPublisher implements PostPublisher {
  constructor(private readonly client: Client) {}

  async send(channelId: string, message: PostMessage, nonce: string): Promise<{ messageId: string }> {
    try {
      const body = { ...toMessageBody(message), nonce, enforce_nonce: true };
      const created = (await this.client.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
      return { messageId: created.id };
    } catch (error) {
      throw classify(error);
    }
  }

  async findSent(channelId: string, message: PostMessage, nonce: string, sinceMs: number): Promise<string | null> {
    const botId = this.client.user?.id;
    if (!botId) return null;
    let messages: APIMessage[];
    try {
      const query = new URLSearchParams({ after: snowflakeAt(sinceMs - 60_000), limit: '100' });
      messages = (await this.client.rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
    } catch (error) {
      throw classify(error);
    }
    const expected = toMessageBody(message);
    const match = messages.find(
      (candidate) =>
        candidate.author.id === botId &&
        (String(candidate.nonce ?? '') === nonce ||
          ((candidate.content ?? '') === (expected.content ?? '') &&
            JSON.stringify(candidate.embeds.map(comparableEmbed)) === JSON.stringify((expected.embeds ?? []).map(comparableEmbed)))),
    );
    return match?.id ?? null;
  }
}

function comparableEmbed(embed: APIEmbed): unknown {
  return [embed.title ?? null, embed.url ?? null, embed.description ?? null];
}

export function classify(error: unknown): PublishError {
  if (error instanceof PublishError) return error;
  if (error instanceof RateLimitError) return new PublishError('rate limited', true, error.retryAfter, 429);
  if (error instanceof HTTPError) return new PublishError(error.message.slice(0, 200), true, undefined, error.status);
  if (error instanceof DiscordAPIError) {
    // 4xx: missing access or permissions, unknown channel, invalid body. Retrying would not help;
    // the mod log is told instead. 429s never get here (discord.js waits them out).
    const retryable = error.status === 429 || error.status >= 500 || error.status === 408;
    return new PublishError(`${error.code}: ${error.message}`.slice(0, 200), retryable, undefined, error.status);
  }
  // Network failures (connection refused or reset, timeouts): worth retrying.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new PublishError(message.slice(0, 200), true);
}
