/**
 * Lazy access to the optional `node-llama-cpp` package. voicelive does not depend on it (its
 * default install is ~725 MB of llama.cpp builds); it is imported only when a GGUF engine is
 * configured, and a missing install becomes an error that says exactly what to run.
 */
import type * as NodeLlamaCpp from 'node-llama-cpp';
import { LlmEngineError } from './types.js';

/** The node-llama-cpp version this engine is tested with (voicelive's devDependency). */
export const NODE_LLAMA_CPP_TESTED_VERSION = '3.21.1';

export type NodeLlamaCppModule = typeof NodeLlamaCpp;

/** node-llama-cpp's prebuilt CPU binary package for a platform, or null where it publishes none. */
export function nodeLlamaCppBinaryPackage(platform: string = process.platform, arch: string = process.arch): string | null {
  const name: Record<string, string> = {
    'linux-x64': 'linux-x64',
    'linux-arm64': 'linux-arm64',
    'linux-arm': 'linux-armv7l',
    'darwin-arm64': 'mac-arm64-metal',
    'darwin-x64': 'mac-x64',
    'win32-x64': 'win-x64',
    'win32-arm64': 'win-arm64',
  };
  const suffix = name[`${platform}-${arch}`];
  return suffix ? `@node-llama-cpp/${suffix}` : null;
}

/** What to tell a user whose install lacks node-llama-cpp. */
export function nodeLlamaCppInstallHint(platform: string = process.platform, arch: string = process.arch): string {
  const version = NODE_LLAMA_CPP_TESTED_VERSION;
  const lines = [
    'The gguf LLM engine needs the optional package node-llama-cpp, which is not installed.',
    `Install it in the project (or global prefix) where voicelive is installed: npm install node-llama-cpp@${version}`,
  ];
  const binary = nodeLlamaCppBinaryPackage(platform, arch);
  if (platform === 'linux' && arch === 'x64') {
    lines.push(
      `On Linux x64 that also downloads its CUDA and Vulkan builds (about 725 MB in all). voicelive runs GGUF models on the CPU and needs only ${binary}@${version} (about 85 MB):`,
      `add "overrides" to your package.json that point @node-llama-cpp/linux-x64-cuda, -cuda-ext, -vulkan, linux-arm64 and linux-armv7l at "npm:@node-llama-cpp/linux-riscv64@${version}" (a build npm skips on x64), then run the install.`,
    );
  } else if (binary === null) {
    lines.push(`node-llama-cpp publishes no prebuilt binary for ${platform}-${arch}; voicelive never compiles llama.cpp at run time, so the gguf engine cannot run here.`);
  }
  return lines.join('\n');
}

/** True when `error` says the node-llama-cpp package itself (not something inside it) cannot be found. */
export function isMissingNodeLlamaCpp(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /['"]node-llama-cpp['"]/.test(message);
}

/**
 * Imports node-llama-cpp. `importer` exists for tests (to simulate a missing package); a missing
 * package becomes an LlmEngineError (code `llm_dependency_missing`) carrying the install hint.
 */
export async function importNodeLlamaCpp(importer: () => Promise<unknown> = () => import('node-llama-cpp')): Promise<NodeLlamaCppModule> {
  try {
    return (await importer()) as NodeLlamaCppModule;
  } catch (error) {
    if (isMissingNodeLlamaCpp(error)) throw new LlmEngineError(nodeLlamaCppInstallHint(), 'llm_dependency_missing');
    throw new LlmEngineError(`node-llama-cpp failed to load: ${error instanceof Error ? error.message : String(error)}`, 'llm_dependency_failed');
  }
}
