export * from './tokenizer';
export * from './model';
export * from './stage';
export * from './onnx-fixture';
