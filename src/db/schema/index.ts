// Every table, one file per feature. drizzle-kit reads this file to generate migrations.
export * from './core.js';
export * from './tasks.js';
export * from './support.js';
export * from './scheduled-posts.js';
