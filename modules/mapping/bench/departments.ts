/** The clinical departments now live in the seeds (the demo uses them without a bench build). */
export { DEPARTMENTS } from '@lingshu/seeds/dist/catalog/departments';
