export { ExpressionError, Node as ExpressionNode, parseExpression } from './parser';
export {
  EvaluateOptions,
  ExpressionRefused,
  SAFE_FUNCTIONS,
  SafeFunction,
  compileSafe,
  createSafeCompiler,
  evaluateExpression,
} from './evaluate';
export { EXPRESSION_RE, ExpressionIssue, checkSchemaExpressions, refusedParts } from './check';
