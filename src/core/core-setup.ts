/**
 * Describes a network to a fresh core instance: the layers, the loss, the
 * optimizer and input scaling, in the order core-abi.ts asks for them.
 */
import type { CoreExports } from './core-abi.ts'
import { expectOk, tooBig } from './core-status.ts'
import { Activation, Loss, Optimizer, Status } from './enums.ts'
import { parameterCountOf, type Spec } from './spec.ts'

/** Defines and commits the network a spec describes; leaves weights to `initialize`. */
export function defineCore(core: CoreExports, spec: Spec): void {
  // a perceptron has no loss to minimise; mse is a placeholder the core ignores
  const loss = spec.kind === 'mlp' ? Loss[spec.loss] : Loss.mse
  expectOk(core.defineNetwork(spec.inputs, loss), 'defineNetwork')
  if (spec.kind === 'perceptron') {
    expectOk(core.addLayer(spec.outputs, Activation[spec.activation], 0), 'addLayer')
  } else {
    for (const layer of spec.layers) {
      const alpha = 'alpha' in layer ? (layer.alpha ?? 0) : 0
      expectOk(core.addLayer(layer.units, Activation[layer.activation], alpha), 'addLayer')
    }
  }
  const status = core.commitNetwork()
  if (status === Status.outOfMemory) throw tooBig(spec, parameterCountOf(spec))
  expectOk(status, 'commitNetwork')

  if (spec.kind === 'mlp') {
    const o = spec.optimizer
    core.setOptimizer(
      Optimizer[o.name],
      o.learningRate,
      o.momentum,
      o.nesterov ? 1 : 0,
      o.beta1,
      o.beta2,
      o.epsilon,
      o.l2,
      o.clipNorm ?? 0,
    )
    core.setScaling(spec.inputScaling === 'standardize' ? 1 : 0)
  }
}

/**
 * Counts the values in each state array a model file stores, from the spec
 * alone, so a file can be checked before any wasm memory is set aside:
 * momentum keeps one value per parameter, Adam two, sgd and a perceptron
 * none (the core's optimizerStateLength agrees; a test holds them equal).
 */
export function stateLengths(spec: Spec) {
  const parameters = parameterCountOf(spec)
  const optimizer = spec.kind === 'mlp' ? spec.optimizer.name : 'sgd'
  const perParameter = optimizer === 'adam' ? 2 : optimizer === 'momentum' ? 1 : 0
  const scaling = spec.kind === 'mlp' && spec.inputScaling === 'standardize'
  return {
    parameters,
    optimizerState: perParameter * parameters,
    scaling: scaling ? 2 * spec.inputs : 0,
  }
}

/** Freezes an object and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
