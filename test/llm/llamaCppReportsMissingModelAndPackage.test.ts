import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { LlamaCppLlmEngine } from '../../src/engines/llm/llamaCpp.js';
import { importNodeLlamaCpp, isMissingNodeLlamaCpp, NODE_LLAMA_CPP_TESTED_VERSION, nodeLlamaCppBinaryPackage, nodeLlamaCppInstallHint } from '../../src/engines/llm/llamaCppModule.js';
import { makeTinyGgufModel } from '../helpers/tinyGguf.js';

const model = makeTinyGgufModel();
after(() => model.remove());

/** What Node throws for `import('node-llama-cpp')` when the package is not installed. */
function moduleNotFound(): Error {
  return Object.assign(new Error("Cannot find package 'node-llama-cpp' imported from /app/node_modules/voicelive/dist/engines/llm/llamaCppModule.js"), { code: 'ERR_MODULE_NOT_FOUND' });
}

test('a missing model file is a clear LlmEngineError naming the path', async () => {
  await assert.rejects(LlamaCppLlmEngine.create({ modelPath: '/nonexistent/model.gguf' }), { name: 'LlmEngineError', code: 'model_not_found', message: 'GGUF model file not found: /nonexistent/model.gguf' });
});

test('a file that is not a GGUF model fails to load with the path in the message', async () => {
  const bogus = model.path.replace(/tiny\.gguf$/, 'bogus.gguf');
  writeFileSync(bogus, 'this is not a model');
  await assert.rejects(LlamaCppLlmEngine.create({ modelPath: bogus, threads: 1 }), (error: Error & { code?: string }) => {
    assert.equal(error.name, 'LlmEngineError');
    assert.equal(error.code, 'model_load_failed');
    assert.ok(error.message.includes(bogus));
    return true;
  });
});

test('an unknown chat wrapper name is refused with the valid names', async () => {
  await assert.rejects(LlamaCppLlmEngine.create({ modelPath: model.path, chatWrapper: 'nonsense' }), { name: 'LlmEngineError', code: 'invalid_config', message: /Unknown chat wrapper "nonsense"; use one of: auto, .*llama3\.1/ });
});

test('without node-llama-cpp installed, creating the engine says exactly what to install', async () => {
  const error = await LlamaCppLlmEngine.create({ modelPath: model.path, importModule: () => Promise.reject(moduleNotFound()) }).then(
    () => assert.fail('should not load'),
    (e: Error & { code?: string }) => e,
  );
  assert.equal(error.name, 'LlmEngineError');
  assert.equal(error.code, 'llm_dependency_missing');
  assert.ok(error.message.includes(`npm install node-llama-cpp@${NODE_LLAMA_CPP_TESTED_VERSION}`), error.message);
  assert.equal(error.message, nodeLlamaCppInstallHint());
});

test('the install hint fits the platform', () => {
  const linux = nodeLlamaCppInstallHint('linux', 'x64');
  assert.match(linux, /^The gguf LLM engine needs the optional package node-llama-cpp, which is not installed\./);
  assert.ok(linux.includes('npm install node-llama-cpp@3.21.1'));
  assert.ok(linux.includes('@node-llama-cpp/linux-x64@3.21.1'));
  assert.ok(linux.includes('"npm:@node-llama-cpp/linux-riscv64@3.21.1"'), 'CPU-only overrides for Linux x64');
  const mac = nodeLlamaCppInstallHint('darwin', 'arm64');
  assert.ok(mac.includes('npm install node-llama-cpp@3.21.1'));
  assert.ok(!mac.includes('overrides'));
  assert.match(nodeLlamaCppInstallHint('freebsd', 'x64'), /no prebuilt binary for freebsd-x64/);
  assert.equal(nodeLlamaCppBinaryPackage('linux', 'arm'), '@node-llama-cpp/linux-armv7l');
  assert.equal(nodeLlamaCppBinaryPackage('darwin', 'arm64'), '@node-llama-cpp/mac-arm64-metal');
  assert.equal(nodeLlamaCppBinaryPackage('aix', 'ppc64'), null);
});

test('only the package itself being absent counts as missing; other load failures say what failed', async () => {
  assert.equal(isMissingNodeLlamaCpp(moduleNotFound()), true);
  const inner = Object.assign(new Error("Cannot find package 'ipull' imported from /app/node_modules/node-llama-cpp/dist/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
  assert.equal(isMissingNodeLlamaCpp(inner), false);
  await assert.rejects(importNodeLlamaCpp(() => Promise.reject(inner)), { name: 'LlmEngineError', code: 'llm_dependency_failed', message: /node-llama-cpp failed to load: Cannot find package 'ipull'/ });
  const loaded = await importNodeLlamaCpp();
  assert.equal(typeof loaded.getLlama, 'function');
});
