import type { CommandModule } from '../src/discord/types.js';
import { action } from './action.js';
import { feed } from './feed.js';
import { guide } from './guide.js';
import { help } from './help.js';
import { language } from './language.js';
import { privacy } from './privacy.js';
import { schedule } from './schedule.js';
import { setup } from './setup.js';
import { support } from './support.js';
import { taskAdmin } from './task-admin.js';
import { task } from './task.js';
import { triage } from './triage.js';
import { update } from './update.js';
import { volunteer } from './volunteer.js';

/** Every slash command, in the order /help lists them. Registration and the router read this list. */
export const commands: readonly CommandModule[] = [help, guide, language, support, privacy, setup, volunteer, task, taskAdmin, triage, action, update, schedule, feed];
