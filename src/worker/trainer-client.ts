/**
 * Reaches the trainer (Durable Object) of one model.
 */
import type { Env } from './env.ts'

/** Returns the stub of the trainer that owns `tenant`'s model `id`. */
export function trainerFor(env: Env, tenant: string, id: string) {
  return env.TRAINER.get(env.TRAINER.idFromName(`${tenant}/${id}`))
}
