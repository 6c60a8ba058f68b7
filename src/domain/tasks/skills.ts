/**
 * The skills the organisation asks volunteers for (SPEC §4). Values are stable English ids used
 * as command choice values and stored on tasks; display names live under `skills.<value>` in the
 * locale files. /volunteer lists these too.
 */
export const SKILLS = [
  'research',
  'marketing',
  'client-support',
  'spanish-translation',
  'community-management',
  'web-development',
  'design',
  'legal-research',
  'other',
] as const;

export type Skill = (typeof SKILLS)[number];

export function isSkill(value: unknown): value is Skill {
  return typeof value === 'string' && (SKILLS as readonly string[]).includes(value);
}
