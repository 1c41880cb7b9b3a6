/**
 * The Worker's entry: the Hono app as the fetch handler, and the trainer
 * Durable Object class that wrangler.toml binds as TRAINER.
 */
import { env } from 'cloudflare:workers'
import { createApp } from './app.ts'
import type { Env } from './env.ts'
import { readLimits } from './limits.ts'

// Check the [vars] limits when the isolate starts, so a bad value stops the
// Worker with a message naming it rather than failing requests one by one.
readLimits(env as unknown as Env)

/** Exports the trainer class that wrangler.toml binds as TRAINER. */
export { ModelTrainer } from './model-trainer.ts'

/** Handles every request with the Hono app. */
export default createApp()
