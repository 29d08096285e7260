// Ambient types for @echogarden/speex-resampler-wasm, which ships Emscripten ES modules without
// declarations. Only the factory's shape is declared here; resampler.ts narrows the module object.
declare module '@echogarden/speex-resampler-wasm/simd' {
  /** Instantiates the WASM module (SIMD build); resolves to the Emscripten `Module` object. */
  const createSpeexResamplerModule: (moduleArg?: Record<string, unknown>) => Promise<unknown>;
  export default createSpeexResamplerModule;
}

declare module '@echogarden/speex-resampler-wasm' {
  /** Instantiates the WASM module (portable non-SIMD build); resolves to the Emscripten `Module` object. */
  const createSpeexResamplerModule: (moduleArg?: Record<string, unknown>) => Promise<unknown>;
  export default createSpeexResamplerModule;
}
