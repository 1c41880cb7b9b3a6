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
// rows first: when both cases fail alike, the rows' issues name the value
const ShapedRows = z.strictObject({ x: z.union([z.array(Row).min(1), Row]) })

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
  const result = ShapedRows.safeParse({ x })
  if (!result.success) throw fromZodError(result.error, 'json')
  return result.data.x
}
