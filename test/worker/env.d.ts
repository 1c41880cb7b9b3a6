/// <reference types="@cloudflare/vitest-plugin/types" />
// Types for `cloudflare:test` and `cloudflare:workers` inside the tests.

declare namespace Cloudflare {
  interface Env {
    MODELS: KVNamespace
    TRAINER: DurableObjectNamespace
    API_TOKENS?: string
  }
  interface Exports {
    default: Fetcher
  }
}
