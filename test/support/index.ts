export * from './http';
export { createTestDatabase, TestDatabase } from '@lingshu/platform/dist/testing';
export * from './auth';
