import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { advocacyActions, advocacySeeded } from '../../db/schema/index.js';
import type { Language } from '../../i18n/index.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { GuildSettingsService } from '../guild-settings.js';
import { bilingual, postLanguages } from '../posts/languages.js';
import { COLORS, discordTimestamp, type PostEmbed, type PostMessage } from '../posts/message.js';
import { nextNumber, type DbOrTx } from '../posts/sequence.js';
import { deadlineDisplayInstant, deadlineEnd, optionalText, parseDeadline, requireHttpsUrl, requireText } from '../posts/validation.js';
import { DEFAULT_ACTIONS, VOLUNTEER_FORM_PLACEHOLDER } from './default-actions.js';

export type AdvocacyAction = typeof advocacyActions.$inferSelect;

export const ACTION_LIMITS = { title: 200, text: 1500 } as const;

export interface NewAction {
  guildId: string;
  title: string;
  text: string;
  link: string;
  deadline?: string | null;
  titleEs?: string | null;
  textEs?: string | null;
  createdBy: string;
}

/** The advocacy library: actions moderators curate, posted in rotation by `advocacy` schedules. */
export class AdvocacyService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: GuildSettingsService,
  ) {}

  /** Writes the default library once per guild; later calls (and retired seeds) change nothing. */
  ensureSeeded(guildId: string, tx: DbOrTx = this.db): void {
    const seeded = tx.select().from(advocacySeeded).where(eq(advocacySeeded.guildId, guildId)).get();
    if (seeded) {
      this.refreshDefaults(guildId, tx);
      return;
    }
    const run = (db: DbOrTx) => {
      const now = this.clock.now();
      const claimed = db.insert(advocacySeeded).values({ guildId, seededAt: now }).onConflictDoNothing().returning().get();
      if (!claimed) return;
      const formUrl = this.settings.get(guildId).volunteerFormUrl;
      for (const action of DEFAULT_ACTIONS) {
        db.insert(advocacyActions)
          .values({
            guildId,
            number: nextNumber(db, guildId, 'action'),
            seedKey: action.seedKey,
            title: action.title,
            text: action.text,
            titleEs: action.titleEs,
            textEs: action.textEs,
            link: action.link === VOLUNTEER_FORM_PLACEHOLDER ? formUrl : action.link,
            status: 'active',
            createdAt: now,
          })
          .onConflictDoNothing()
          .run();
      }
    };
    if (tx === this.db) this.db.transaction((inner) => run(inner));
    else run(tx);
  }

  /**
   * Brings a guild's default actions up to the current wording where they still hold an earlier
   * default one (a safety warning added later must reach guilds seeded before it). Text a moderator
   * edited is never touched: only an exact earlier default wording is replaced.
   */
  private refreshDefaults(guildId: string, tx: DbOrTx): void {
    for (const action of DEFAULT_ACTIONS) {
      for (const previous of action.previous ?? []) {
        for (const column of ['title', 'text', 'titleEs', 'textEs'] as const) {
          const old = previous[column];
          if (old === undefined) continue;
          tx.update(advocacyActions)
            .set({ [column]: action[column] })
            .where(
              and(eq(advocacyActions.guildId, guildId), eq(advocacyActions.seedKey, action.seedKey), eq(advocacyActions[column], old)),
            )
            .run();
        }
      }
    }
  }

  add(input: NewAction): AdvocacyAction {
    const title = requireText(input.title, 'title', ACTION_LIMITS.title);
    const text = requireText(input.text, 'text', ACTION_LIMITS.text);
    const link = requireHttpsUrl(input.link);
    const titleEs = optionalText(input.titleEs, 'title_es', ACTION_LIMITS.title);
    const textEs = optionalText(input.textEs, 'text_es', ACTION_LIMITS.text);
    const now = this.clock.now();
    const deadline = input.deadline?.trim() ? parseDeadline(input.deadline, now) : null;
    return this.db.transaction((tx) => {
      this.ensureSeeded(input.guildId, tx);
      return tx
        .insert(advocacyActions)
        .values({
          guildId: input.guildId,
          number: nextNumber(tx, input.guildId, 'action'),
          title,
          text,
          titleEs,
          textEs,
          link,
          deadline,
          status: 'active',
          createdBy: input.createdBy,
          createdAt: now,
        })
        .returning()
        .get();
    });
  }

  /** Active actions first (next in rotation first), then retired and expired ones. */
  list(guildId: string): AdvocacyAction[] {
    this.ensureSeeded(guildId);
    return this.db
      .select()
      .from(advocacyActions)
      .where(eq(advocacyActions.guildId, guildId))
      .orderBy(
        asc(sql`${advocacyActions.status} = 'retired'`),
        asc(sql`${advocacyActions.lastPostedAt} IS NOT NULL`),
        asc(advocacyActions.lastPostedAt),
        asc(advocacyActions.number),
      )
      .all();
  }

  isExpired(action: AdvocacyAction, now = this.clock.now()): boolean {
    return action.deadline !== null && deadlineEnd(action.deadline) <= now;
  }

  retire(guildId: string, number: number): AdvocacyAction {
    this.ensureSeeded(guildId);
    const retired = this.db
      .update(advocacyActions)
      .set({ status: 'retired', retiredAt: this.clock.now() })
      .where(and(eq(advocacyActions.guildId, guildId), eq(advocacyActions.number, number), eq(advocacyActions.status, 'active')))
      .returning()
      .get();
    if (retired) return retired;
    const exists = this.db
      .select({ id: advocacyActions.id })
      .from(advocacyActions)
      .where(and(eq(advocacyActions.guildId, guildId), eq(advocacyActions.number, number)))
      .get();
    throw new DomainError(exists ? 'action.errors.alreadyRetired' : 'action.errors.notFound', { id: number });
  }

  /**
   * Picks the next action for a run, inside the run's transaction: active, not expired, least
   * recently posted first (never posted before all others). Marks it posted so the rotation moves.
   */
  pickForRun(tx: DbOrTx, guildId: string): AdvocacyAction | undefined {
    this.ensureSeeded(guildId, tx);
    const now = this.clock.now();
    const candidates = tx
      .select()
      .from(advocacyActions)
      .where(and(eq(advocacyActions.guildId, guildId), eq(advocacyActions.status, 'active')))
      .orderBy(asc(sql`${advocacyActions.lastPostedAt} IS NOT NULL`), asc(advocacyActions.lastPostedAt), asc(advocacyActions.number))
      .all();
    const next = candidates.find((action) => !this.isExpired(action, now));
    if (!next) return undefined;
    tx.update(advocacyActions)
      .set({ lastPostedAt: now, postCount: sql`${advocacyActions.postCount} + 1` })
      .where(eq(advocacyActions.id, next.id))
      .run();
    return next;
  }

  /** The post for an action: one embed per language that has text, a link button, the deadline. */
  render(action: AdvocacyAction, defaultLanguage: Language | null): PostMessage {
    const languages = postLanguages(defaultLanguage);
    const embeds: PostEmbed[] = [];
    for (const lang of languages) {
      const title = lang === 'es' ? action.titleEs : action.title;
      const text = lang === 'es' ? action.textEs : action.text;
      if (!title || !text) continue;
      embeds.push(this.embed(action, lang, title, text));
    }
    // A guild that reads only Spanish still gets the action when no translation exists yet.
    if (embeds.length === 0) embeds.push(this.embed(action, 'en', action.title, action.text));
    return {
      embeds,
      buttons: [[{ kind: 'link', label: bilingual(languages, 'posts.advocacy.button'), url: action.link }]],
    };
  }

  private embed(action: AdvocacyAction, lang: Language, title: string, text: string): PostEmbed {
    const fields = [{ name: bilingual([lang], 'posts.advocacy.whatToDo'), value: text }];
    if (action.deadline) {
      fields.push({
        name: bilingual([lang], 'posts.advocacy.deadline'),
        value: discordTimestamp(deadlineDisplayInstant(action.deadline), 'D'),
      });
    }
    return {
      title: `${bilingual([lang], 'posts.advocacy.heading')}: ${title}`,
      url: action.link,
      color: COLORS.advocacy,
      fields,
      footer: bilingual([lang], 'posts.advocacy.footer', { number: action.number }),
    };
  }
}
