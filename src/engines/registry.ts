/**
 * Builds the engines from configuration: the default profile's and every named model profile's,
 * each distinct engine once. A local speech engine that cannot run here (e.g. pocketsphinx without
 * its Debian packages) is left null with the reason, so the server still starts and says exactly
 * what is missing; an LLM that cannot be built (e.g. a missing GGUF file) fails the start.
 */
import { resolve as resolvePath } from 'node:path';
import { loadResampler } from '../audio/resampler.js';
import type { AsrSpec, LlmSpec, TtsSpec } from '../config/engineSpecs.js';
import { endpointApiKey, specKey } from '../config/engineSpecs.js';
import type { ServerConfig } from '../config/serverConfig.js';
import type { AsrEngine } from './asr/types.js';
import { EngineCatalog } from './engineCatalog.js';
import type { ModelProfile } from './engineCatalog.js';
import type { EngineSet } from './engineSet.js';
import { ScriptedLlmEngine } from './llm/scripted.js';
import type { LlmEngine } from './llm/types.js';
import type { TtsEngine } from './tts/types.js';
import type { VadEngine } from './vad/types.js';
import { checkVoiceFor } from './tts/engineVoice.js';

export interface EngineSelection {
  /** Load the speech engines (TTS, ASR, VAD). False builds a text-only server (fast start for tests). */
  speech: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What engine construction needs besides the spec. */
export interface EngineBuildContext extends Pick<ServerConfig, 'scriptedWordDelayMs'> {
  /** Engine notes (e.g. an endpoint's rejected parameter); secrets are already redacted. */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export async function createLlmEngine(spec: LlmSpec, config: EngineBuildContext): Promise<LlmEngine> {
  switch (spec.type) {
    case 'scripted':
      return new ScriptedLlmEngine({ wordDelayMs: config.scriptedWordDelayMs });
    case 'openai': {
      const { OpenAiChatLlmEngine } = await import('./llm/openaiChat.js');
      return new OpenAiChatLlmEngine({
        baseUrl: spec.baseUrl,
        model: spec.model,
        apiKey: endpointApiKey(spec),
        azure: spec.azureApiVersion ? { apiVersion: spec.azureApiVersion } : undefined,
        firstTokenTimeoutMs: spec.firstTokenTimeoutMs,
        idleTimeoutMs: spec.idleTimeoutMs,
        maxRetries: spec.maxRetries,
        headers: spec.headers,
        maxTokensField: spec.maxTokensField,
        extraBody: spec.extraBody,
        log: config.log,
      });
    }
    case 'gguf': {
      const { LlamaCppLlmEngine } = await import('./llm/llamaCpp.js');
      return LlamaCppLlmEngine.create({
        modelPath: resolvePath(spec.modelPath),
        contextSize: spec.contextSize,
        maxSessions: spec.maxSessions,
        threads: spec.threads,
        gpu: spec.gpu,
        chatWrapper: spec.chatWrapper,
        log: config.log ? (level, message) => config.log?.(`llama.cpp ${level}: ${message}`) : undefined,
      });
    }
  }
}

async function createAsrEngine(spec: AsrSpec, config: ServerConfig): Promise<AsrEngine> {
  switch (spec.type) {
    case 'pocketsphinx': {
      const { PocketsphinxAsrEngine } = await import('./asr/pocketsphinx.js');
      return PocketsphinxAsrEngine.create({ poolSize: config.asrDecoders });
    }
    case 'openai': {
      const { OpenAiTranscriptionAsrEngine } = await import('./asr/openaiTranscription.js');
      return new OpenAiTranscriptionAsrEngine({
        baseUrl: spec.baseUrl,
        model: spec.model,
        apiKey: endpointApiKey(spec),
        azure: spec.azureApiVersion ? { apiVersion: spec.azureApiVersion } : undefined,
        timeoutMs: spec.timeoutMs,
        language: spec.language,
      });
    }
  }
}

async function createTtsEngine(spec: TtsSpec, config: ServerConfig): Promise<TtsEngine> {
  switch (spec.type) {
    case 'flite': {
      const { FliteTtsEngine } = await import('./tts/flite.js');
      // Word timings cost a second flite run per sentence before the first audio; nothing uses them yet.
      return FliteTtsEngine.create({ workerCount: config.ttsWorkers, wordTimings: false });
    }
    case 'openai': {
      const { OpenAiSpeechTtsEngine } = await import('./tts/openaiSpeech.js');
      return new OpenAiSpeechTtsEngine({
        baseUrl: spec.baseUrl,
        model: spec.model,
        apiKey: endpointApiKey(spec),
        azure: spec.azureApiVersion ? { apiVersion: spec.azureApiVersion } : undefined,
        timeoutMs: spec.timeoutMs,
        voices: spec.voices,
        responseFormat: spec.responseFormat,
      });
    }
  }
}

/** Builds each distinct spec once, however many profiles name it. */
class SharedBuilds<Spec extends object, Engine> {
  readonly #builds = new Map<string, Promise<Engine>>();
  constructor(private readonly build: (spec: Spec) => Promise<Engine>) {}
  get(spec: Spec): Promise<Engine> {
    const key = specKey(spec);
    let promise = this.#builds.get(key);
    if (!promise) {
      promise = this.build(spec);
      this.#builds.set(key, promise);
    }
    return promise;
  }
  async settled(): Promise<Engine[]> {
    const results = await Promise.allSettled(this.#builds.values());
    return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }
}

interface ProfileInput {
  name: string;
  llm: LlmSpec;
  asr: AsrSpec;
  tts: TtsSpec;
  voice: string;
  instructions: string;
  temperature: number;
}

function profileInputs(config: ServerConfig): ProfileInput[] {
  const base: ProfileInput = {
    name: config.defaultModel,
    llm: config.llm,
    asr: config.asr,
    tts: config.tts,
    voice: config.defaultVoice,
    instructions: config.defaultInstructions,
    temperature: config.defaultTemperature,
  };
  const named = Object.entries(config.models).map(([name, p]) => ({
    name,
    llm: p.llm ?? base.llm,
    asr: p.asr ?? base.asr,
    tts: p.tts ?? base.tts,
    voice: p.voice ?? base.voice,
    instructions: p.instructions ?? base.instructions,
    temperature: p.temperature ?? base.temperature,
  }));
  // A profile named like the default model replaces the top-level settings.
  const overridden = named.find((p) => p.name === base.name);
  return [overridden ?? base, ...named.filter((p) => p !== overridden)];
}

export async function createEngineCatalog(config: ServerConfig, selection: EngineSelection = { speech: true }): Promise<EngineCatalog> {
  const inputs = profileInputs(config);
  const llms = new SharedBuilds<LlmSpec, LlmEngine>((spec) => createLlmEngine(spec, { ...config, log: selection.log }));
  const asrs = new SharedBuilds<AsrSpec, AsrEngine>((spec) => createAsrEngine(spec, config));
  const ttss = new SharedBuilds<TtsSpec, TtsEngine>((spec) => createTtsEngine(spec, config));
  let vad: Promise<VadEngine> | null = null;
  if (selection.speech) {
    await loadResampler();
    vad = import('./vad/silero.js').then((m) => m.SileroVadEngine.create());
  }

  const built = await Promise.allSettled(
    inputs.map(async (input): Promise<ModelProfile> => {
      const engines: EngineSet = { llm: await llms.get(input.llm), tts: null, asr: null, vad: null, unavailable: {} };
      if (!selection.speech || !vad) {
        engines.unavailable = { tts: 'speech engines disabled', asr: 'speech engines disabled', vad: 'speech engines disabled' };
      } else {
        const [tts, asr, vadEngine] = await Promise.allSettled([ttss.get(input.tts), asrs.get(input.asr), vad]);
        if (tts.status === 'fulfilled') engines.tts = tts.value;
        else engines.unavailable.tts = reason(tts.reason);
        if (asr.status === 'fulfilled') engines.asr = asr.value;
        else engines.unavailable.asr = reason(asr.reason);
        if (vadEngine.status === 'fulfilled') engines.vad = vadEngine.value;
        else engines.unavailable.vad = reason(vadEngine.reason);
      }
      return { name: input.name, engines, voice: input.voice, instructions: input.instructions, temperature: input.temperature };
    }),
  );
  const owned: Array<{ close?(): Promise<void> }> = [...(await llms.settled()), ...(await asrs.settled()), ...(await ttss.settled())];
  if (vad) await vad.then((v) => owned.push(v), () => undefined);
  const failed = built.flatMap((r, i) => (r.status === 'rejected' ? [`  model ${inputs[i]!.name}: ${reason(r.reason)}`] : []));
  if (failed.length > 0) {
    await Promise.allSettled(owned.map((engine) => engine.close?.()));
    throw new Error(`Cannot start the LLM engines:\n${failed.join('\n')}`);
  }
  const profiles = built.map((r) => (r as PromiseFulfilledResult<ModelProfile>).value);
  const badVoices = profiles.flatMap((profile) => {
    const problem = profile.engines.tts ? checkVoiceFor(profile.engines)(profile.voice) : null;
    return problem ? [`  model ${profile.name}: default voice ${JSON.stringify(profile.voice)}: ${problem}`] : [];
  });
  if (badVoices.length > 0) {
    await Promise.allSettled(owned.map((engine) => engine.close?.()));
    throw new Error(`The default voice does not fit the TTS engine (set "voice" in the profile, or --voice / VOICELIVE_DEFAULT_VOICE):\n${badVoices.join('\n')}`);
  }
  return new EngineCatalog({ defaultProfile: profiles[0]!, profiles: profiles.slice(1), unknownModel: config.unknownModel, ownedEngines: owned });
}

/** The default profile's engine set (for embedding and tests that need one set). */
export async function createEngines(config: ServerConfig, selection: EngineSelection = { speech: true }): Promise<EngineSet> {
  const catalog = await createEngineCatalog({ ...config, models: {} }, selection);
  return catalog.defaultProfile.engines;
}

/** A catalog with one profile around an engine set built elsewhere (embedding, tests). */
export function singleProfileCatalog(
  config: Pick<ServerConfig, 'defaultModel' | 'defaultVoice' | 'defaultInstructions' | 'defaultTemperature' | 'unknownModel'>,
  engines: EngineSet,
): EngineCatalog {
  return new EngineCatalog({
    defaultProfile: {
      name: config.defaultModel,
      engines,
      voice: config.defaultVoice,
      instructions: config.defaultInstructions,
      temperature: config.defaultTemperature,
    },
    unknownModel: config.unknownModel,
  });
}
