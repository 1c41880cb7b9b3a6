/**
 * Hands `x` on from a request body: rows of clean numbers as f32 in one
 * buffer (cheap to send to a trainer, and packed without a path per
 * value), and anything else only after zod has checked its shape, so
 * every refusal names the row and value at fault.
 */
import { z } from '@hono/zod-openapi'
import { type Rows, toF32Rows } from '../core/index.ts'
import { fromZodError } from './error-mapping.ts'

const Row = z.array(z.number()).min(1)
const OneRow = z.strictObject({ x: Row })
const ManyRows = z.strictObject({ x: z.array(Row).min(1) })

/**
 * Returns `x` as rows a network takes: packed as f32 when every value is
 * a number f32 holds as finite and the rows have one width, else as it
 * came once zod has found it to be numbers in one or two levels of
 * arrays (rows of the wrong width, and values past f32, are left to the
 * network, which knows its width). Throws a 422 problem otherwise.
 */
export function inputRows(x: unknown): Rows {
  const packed = toF32Rows(x)
  if (packed) return packed
  // a list that holds a list is rows, as the network reads it; so each
  // value at fault is named, not the row that holds it
  const rows = Array.isArray(x) && x.some(Array.isArray)
  const result = (rows ? ManyRows : OneRow).safeParse({ x })
  if (!result.success) throw fromZodError(result.error, 'json')
  return result.data.x
}
