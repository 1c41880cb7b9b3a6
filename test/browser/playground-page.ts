/**
 * Drives the playground page the way a person does: through labelled
 * fields and named buttons, never through its internals, except the
 * `playground.predict` handle the page offers on its console.
 */
import type { Page } from 'playwright-core'
import { bounded } from './chromium.ts'

/** What the page's read-outs say, as numbers (NaN where empty). */
export interface Readings {
  epoch: number
  trainLoss: number
  testLoss: number
  trainAccuracy: number
  testAccuracy: number
}

/** Sets up XOR with a 2-4-1 network: 4 tanh units, 1 sigmoid unit, Adam. */
export async function chooseXor241(page: Page): Promise<void> {
  await page.getByLabel('Dataset').selectOption('xor')
  await page.getByLabel('Noise').fill('0')
  await page.getByLabel('Seed').fill('1')
  await page.getByLabel('Kind').selectOption('mlp')
  while ((await page.getByRole('button', { name: /^Remove layer/ }).count()) > 1) {
    await page.getByRole('button', { name: /^Remove layer/ }).last().click()
  }
  await page.getByLabel('Layer 1 units').fill('4')
  await page.getByLabel('Layer 1 activation').selectOption('tanh')
  await page.getByLabel('Loss', { exact: true }).selectOption('binary-cross-entropy')
  await page.getByLabel('Optimizer').selectOption('adam')
  await page.getByLabel('Learning rate').fill('0.03')
  await page.getByLabel('Batch size').fill('10')
  // `fill` fires input events; change (which resets the network) needs a blur
  await page.getByLabel('Batch size').press('Tab')
  await page.getByRole('button', { name: 'Reset' }).click()
}

/** Reads the epoch counter and the four metrics. */
export async function readings(page: Page): Promise<Readings> {
  return bounded(page.evaluate(() => {
    const value = (id: string) => Number(document.getElementById(id)?.dataset.value || NaN)
    return {
      epoch: Number(document.getElementById('epoch')?.textContent),
      trainLoss: value('train-loss'),
      testLoss: value('test-loss'),
      trainAccuracy: value('train-accuracy'),
      testAccuracy: value('test-accuracy'),
    }
  }), 10_000, 'reading the metrics')
}

/** Waits (at most `timeoutMs`) until both accuracies reach `target`. */
export async function waitForAccuracy(page: Page, target: number, timeoutMs: number) {
  await page.waitForFunction(
    (goal) => ['train-accuracy', 'test-accuracy'].every(
      (id) => Number(document.getElementById(id)?.dataset.value || 0) >= goal,
    ),
    target,
    { timeout: timeoutMs, polling: 50 },
  )
}

/** Fills the save/load form. */
export async function fillStore(page: Page, token: string, id: string): Promise<void> {
  await page.getByLabel('Bearer token').fill(token)
  await page.getByLabel('Model id').fill(id)
}

/** Waits (at most `timeoutMs`) for the save/load status to match, and returns it. */
export async function storeStatus(page: Page, pattern: RegExp, timeoutMs = 15_000) {
  const status = page.locator('#store-status')
  await status.filter({ hasText: pattern }).waitFor({ timeout: timeoutMs })
  return status.textContent()
}

/** Asks the page's model (in its worker) to predict `x`. */
export async function pagePredict(page: Page, x: number[][]) {
  const asked = page.evaluate(async (rows) => {
    const handle = (globalThis as unknown as {
      playground: { predict: (x: number[][]) => Promise<unknown> }
    }).playground
    return handle.predict(rows)
  }, x) as Promise<{ outputs: number[][]; labels?: unknown[]; probabilities?: number[][] }>
  return bounded(asked, 15_000, "the page's predict")
}

/** Lists points on a square lattice over [-1.2, 1.2]², `side` per side. */
export function lattice(side: number): number[][] {
  const points: number[][] = []
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      points.push([-1.2 + (2.4 * c) / (side - 1), -1.2 + (2.4 * r) / (side - 1)])
    }
  }
  return points
}
