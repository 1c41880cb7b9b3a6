/**
 * The API_TOKENS the worker tests run with (vitest.config.ts binds them):
 * two tenants, so tests can show that one never sees the other's models.
 */

/** Holds the token of tenant "acme". */
export const ACME_TOKEN = 'acme-test-token-0001'
/** Holds the token of tenant "beta". */
export const BETA_TOKEN = 'beta-test-token-0002'
/** Lists both, as the secret is written. */
export const TEST_API_TOKENS = `acme:${ACME_TOKEN},beta:${BETA_TOKEN}`
