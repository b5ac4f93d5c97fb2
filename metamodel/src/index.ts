export * from './kinds';
export * from './contracts';
export * from './lifecycle';
export * from './format';
export * from './validate';
export * from './compile';
export * from './snapshot';
export * from './expression';
