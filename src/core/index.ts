/**
 * edgeprop: small neural networks that train and predict in WebAssembly,
 * the same in Node, browsers and Workers.
 */
export { Network } from './network.ts'
export type { TrainResult, Evaluation, Gradients, Prediction } from './results.ts'
export { loadCore } from './core-loader.ts'
export type { CoreSource } from './core-loader.ts'
export { EdgepropError, zodIssues } from './errors.ts'
export type { ErrorCode, ErrorDetail } from './errors.ts'
export { specSchema, parseSpec, LIMITS } from './spec.ts'
export type { Spec, SpecInput, MlpSpec, PerceptronSpec } from './spec.ts'
export type { TrainOptions, LayerWeights, LayerValues } from './options.ts'
export { toF32Rows } from './samples.ts'
export type { Row, Rows } from './samples.ts'
export type { Target, Targets } from './targets.ts'
export type { TrainingStats } from './model-format.ts'
export { FORMAT_VERSION } from './model-format.ts'
export { inspectModel, rewriteModel } from './model-state.ts'
export type { InspectedModel } from './model-state.ts'
