/** One guild per raced task, so the claim limit never gets in the way of the race itself. */
export const raceGuildId = (index: number) => `9${String(index).padStart(17, '0')}`;
