/** Builds synthetic per-frame probability sequences: `sequence([0, 10], [0.9, 8])` = 10 frames at 0 then 8 at 0.9. */
export function sequence(...runs: Array<[probability: number, frames: number]>): Float32Array {
  const values: number[] = [];
  for (const [probability, frames] of runs) {
    for (let frame = 0; frame < frames; frame++) values.push(probability);
  }
  return Float32Array.from(values);
}
