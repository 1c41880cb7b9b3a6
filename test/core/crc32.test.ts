import { crc32 as zlibCrc32 } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { crc32 } from '../../src/core/crc32.ts'

// bytes from a fixed linear congruential sequence, so every run checks the same
function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  let state = seed
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    bytes[i] = state >>> 24
  }
  return bytes
}

describe('crc32', () => {
  test('gives the IEEE check value of "123456789", 0xCBF43926', () => {
    const bytes = new TextEncoder().encode('123456789')
    expect(crc32(bytes, bytes.length)).toBe(0xcbf43926)
  })

  test('gives 0 for no bytes, and zlib\'s value for one zero byte', () => {
    expect(crc32(new Uint8Array(0), 0)).toBe(0)
    expect(crc32(new Uint8Array(1), 1)).toBe(0xd202ef8d)
  })

  test.each([1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099, 100_003])(
    'matches node:zlib on %i bytes (steps of 8 and the bytes after them)',
    (length) => {
      const bytes = bytesOf(length, length)
      expect(crc32(bytes, length)).toBe(zlibCrc32(bytes))
    },
  )

  test.each([1, 2, 3])('matches node:zlib on bytes %i past a word boundary', (skip) => {
    const bytes = bytesOf(1037, skip).subarray(skip)
    expect(crc32(bytes, bytes.length)).toBe(zlibCrc32(bytes))
  })

  test('reads only bytes[0..end), as a model file\'s own checksum needs', () => {
    const bytes = bytesOf(1029, 3)
    expect(crc32(bytes, 1025)).toBe(zlibCrc32(bytes.subarray(0, 1025)))
  })
})
