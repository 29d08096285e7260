import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  SILERO_MODEL_MD5,
  SileroModelNotFoundError,
  locateSileroModel,
} from '../../src/engines/vad/sileroModel.js';
import { SileroVadEngine } from '../../src/engines/vad/silero.js';

test('the Silero v5 model resolves inside the installed carrier package and has the expected bytes', () => {
  const modelPath = locateSileroModel();
  assert.match(modelPath, /node_modules\/@ricky0123\/vad-web\/dist\/silero_vad_v5\.onnx$/);
  const md5 = createHash('md5').update(readFileSync(modelPath)).digest('hex');
  assert.equal(md5, SILERO_MODEL_MD5);
});

test('a missing carrier package gives an error that names the package and the install command', () => {
  assert.throws(
    () => locateSileroModel({ packageName: '@voicelive/no-such-model-package' }),
    (error: unknown) =>
      error instanceof SileroModelNotFoundError &&
      error.message.includes('"@voicelive/no-such-model-package" is not installed') &&
      error.message.includes('npm install @voicelive/no-such-model-package'),
  );
});

test('a missing model file inside an installed package is reported as such', () => {
  assert.throws(
    () => locateSileroModel({ fileInPackage: 'dist/silero_vad_v99.onnx' }),
    (error: unknown) => error instanceof SileroModelNotFoundError && /has no dist\/silero_vad_v99\.onnx/.test(error.message),
  );
});

test('an unloadable model file rejects SileroVadEngine.create with the worker load error', async () => {
  await assert.rejects(
    SileroVadEngine.create({ modelPath: '/dev/null' }),
    /Silero VAD model failed to load/,
  );
});
