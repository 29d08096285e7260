// The Debian packages voicelive installs in `npm run setup` (and CI), with the reason for each.
// The server runs without them and says which package a missing feature needs.
export const debianPackages = [
  { name: 'libpocketsphinx3', why: 'offline speech recognition (pocketsphinx engine)' },
  { name: 'pocketsphinx-en-us', why: 'English acoustic model, language model and dictionary for pocketsphinx' },
  { name: 'libspeexdsp1', why: 'server-side echo cancellation (speexdsp)' },
  { name: 'sox', why: 'audio conversion in tests, benchmarks and `voicelive chat` live audio' },
  { name: 'espeak-ng', why: 'synthetic speech fixtures for tests and benchmarks' },
  { name: 'pocketsphinx-testdata', why: 'real human recordings for ASR tests and `npm run bench:asr`' },
];
