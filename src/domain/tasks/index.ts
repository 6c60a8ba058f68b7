export * from './due-date.js';
export * from './skills.js';
export * from './task-jobs.js';
export * from './task-service.js';
