/**
 * Least-squares fit of `a·sin(ωn) + b·cos(ωn) + c` at a known frequency, used to measure how cleanly a
 * tone survives processing: everything the fit does not explain counts as noise + distortion.
 */
export interface SineFit {
  amplitude: number;
  /** Phase at sample 0 of the fitted range start's timeline (sample index 0 of the whole signal). */
  phaseRad: number;
  /** 10·log10(fitted tone energy / residual energy) over the fitted range. */
  snrDb: number;
}

/**
 * Fits a tone of `frequencyHz` to `samples[startIndex, endIndex)` sampled at `sampleRateHz`. The phase
 * refers to index 0, so fits of differently trimmed ranges of the same signal are comparable.
 */
export function fitSine(
  samples: ArrayLike<number>,
  sampleRateHz: number,
  frequencyHz: number,
  startIndex: number,
  endIndex: number,
): SineFit {
  const omega = (2 * Math.PI * frequencyHz) / sampleRateHz;
  // Normal equations for the basis [sin, cos, 1].
  let ss = 0, sc = 0, s1 = 0, cc = 0, c1 = 0, n = 0;
  let ys = 0, yc = 0, y1 = 0;
  for (let i = startIndex; i < endIndex; i++) {
    const sin = Math.sin(omega * i);
    const cos = Math.cos(omega * i);
    const y = samples[i] as number;
    ss += sin * sin; sc += sin * cos; s1 += sin; cc += cos * cos; c1 += cos; n += 1;
    ys += y * sin; yc += y * cos; y1 += y;
  }
  const [a, b, c] = solve3(
    [
      [ss, sc, s1],
      [sc, cc, c1],
      [s1, c1, n],
    ],
    [ys, yc, y1],
  );
  let toneEnergy = 0;
  let residualEnergy = 0;
  for (let i = startIndex; i < endIndex; i++) {
    const tone = a * Math.sin(omega * i) + b * Math.cos(omega * i);
    const residual = (samples[i] as number) - tone - c;
    toneEnergy += tone * tone;
    residualEnergy += residual * residual;
  }
  return {
    amplitude: Math.hypot(a, b),
    // a·sin(x) + b·cos(x) = A·sin(x + φ) with φ = atan2(b, a).
    phaseRad: Math.atan2(b, a),
    snrDb: 10 * Math.log10(toneEnergy / residualEnergy),
  };
}

function solve3(matrix: number[][], rhs: number[]): [number, number, number] {
  const m = matrix.map((row, i) => [...row, rhs[i] as number]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let row = col + 1; row < 3; row++) {
      if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    }
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = 0; row < 3; row++) {
      if (row === col) continue;
      const factor = m[row]![col]! / m[col]![col]!;
      for (let k = col; k < 4; k++) m[row]![k]! -= factor * m[col]![k]!;
    }
  }
  return [m[0]![3]! / m[0]![0]!, m[1]![3]! / m[1]![1]!, m[2]![3]! / m[2]![2]!];
}

/** A tone `amplitude·sin(2π·frequencyHz·n / sampleRateHz)` as float32 samples. */
export function sineFloat32(sampleRateHz: number, frequencyHz: number, durationMs: number, amplitude: number): Float32Array {
  const samples = new Float32Array(Math.round((sampleRateHz * durationMs) / 1000));
  const omega = (2 * Math.PI * frequencyHz) / sampleRateHz;
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin(omega * i);
  return samples;
}

/** The same tone rounded to 16-bit (amplitude in LSBs). */
export function sinePcm16(sampleRateHz: number, frequencyHz: number, durationMs: number, amplitude: number): Int16Array {
  const samples = new Int16Array(Math.round((sampleRateHz * durationMs) / 1000));
  const omega = (2 * Math.PI * frequencyHz) / sampleRateHz;
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin(omega * i));
  return samples;
}
