// Wrangler's CompiledWasm rule turns an imported .wasm file into a module.
declare module '*.wasm' {
  const compiled: WebAssembly.Module
  export default compiled
}
