// The exports of core.wasm; src/core/core-abi.ts documents each one.

export {
  ACTIVATION_HEAVISIDE, ACTIVATION_LEAKY_RELU, ACTIVATION_LINEAR,
  ACTIVATION_RELU, ACTIVATION_SIGMOID, ACTIVATION_SIGN, ACTIVATION_SOFTMAX,
  ACTIVATION_TANH,
  LOSS_BINARY_CROSS_ENTROPY, LOSS_CROSS_ENTROPY, LOSS_MSE,
  OPTIMIZER_ADAM, OPTIMIZER_MOMENTUM, OPTIMIZER_SGD,
  STATUS_BAD_ARGUMENT, STATUS_NON_FINITE, STATUS_NOT_COMMITTED, STATUS_OK,
  STATUS_OUT_OF_MEMORY,
} from './enums'

export {
  addLayer, commitNetwork, defineNetwork, gradientsPointer, initialize,
  optimizerStateLength, optimizerStatePointer, optimizerSteps, outputsPointer,
  parameterCount, parametersPointer, randomState, restoreState,
  reserveSamples, samplesInputsPointer, samplesTargetsPointer, scalingCount,
  scalingPointer, setOptimizer, setOptimizerSteps, setRandomState, setScaling,
  setScalingCount,
} from './network'

export {
  computeGradients, evaluate, lastCorrect, lastSteps, predict, train,
} from './train'

export { lastEpochs, lastMistakes, perceptronTrain } from './perceptron'

export {
  activationBackward, activationForward, firstNonFinite, lossGradient,
  lossValue, matmul, scratch, transpose,
} from './kernels'
