/**
 * Whether the pocketsphinx tests can run here: a reason to skip (naming the Debian packages to
 * install) or `false`. The missing-library tests do not depend on this.
 */
import { loadPocketsphinxLibrary, locatePocketsphinxModel } from '../../src/engines/asr/pocketsphinxLibrary.js';
import { locatePocketsphinxTestdata, TESTDATA_INSTALL_HINT } from './pocketsphinxTestdata.js';

function findSkipReason(): string | false {
  try {
    locatePocketsphinxModel();
    loadPocketsphinxLibrary();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (locatePocketsphinxTestdata() === undefined) return `pocketsphinx-testdata not found; ${TESTDATA_INSTALL_HINT}`;
  return false;
}

/** `false`, or why the pocketsphinx tests are skipped. */
export const pocketsphinxSkipReason: string | false = findSkipReason();
if (pocketsphinxSkipReason !== false) console.warn(`SKIPPING pocketsphinx tests: ${pocketsphinxSkipReason}`);

/** The testdata directory (only meaningful when the tests are not skipped). */
export const testdataDir: string = locatePocketsphinxTestdata() ?? '';
