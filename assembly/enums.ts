// Codes shared with src/core/enums.ts; test/core/enums.test.ts checks both.

export const ACTIVATION_LINEAR: i32 = 0
export const ACTIVATION_HEAVISIDE: i32 = 1
export const ACTIVATION_SIGN: i32 = 2
export const ACTIVATION_SIGMOID: i32 = 3
export const ACTIVATION_TANH: i32 = 4
export const ACTIVATION_RELU: i32 = 5
export const ACTIVATION_LEAKY_RELU: i32 = 6
export const ACTIVATION_SOFTMAX: i32 = 7

export const LOSS_MSE: i32 = 0
export const LOSS_BINARY_CROSS_ENTROPY: i32 = 1
export const LOSS_CROSS_ENTROPY: i32 = 2

export const OPTIMIZER_SGD: i32 = 0
export const OPTIMIZER_MOMENTUM: i32 = 1
export const OPTIMIZER_ADAM: i32 = 2

export const STATUS_OK: i32 = 0
export const STATUS_NON_FINITE: i32 = 1
export const STATUS_OUT_OF_MEMORY: i32 = 2
export const STATUS_BAD_ARGUMENT: i32 = 3
export const STATUS_NOT_COMMITTED: i32 = 4
