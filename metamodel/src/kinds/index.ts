export * from './common';
export * from './data-element';
export * from './value-domain';
export * from './dataset';
export * from './screen';
export * from './resolved';
