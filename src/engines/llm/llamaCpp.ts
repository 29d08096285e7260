/**
 * The `gguf` LLM engine: a local GGUF model run by llama.cpp through the optional node-llama-cpp
 * package (imported only when this engine is created; see llamaCppModule.ts).
 *
 * - One model, loaded once, shared by every session. One llama.cpp context holds `maxSessions`
 *   sequences of `contextSize` tokens each; a session keeps its sequence (and so its KV cache)
 *   between turns, and node-llama-cpp evaluates only the part of the prompt that changed.
 *   Sessions beyond `maxSessions` take the sequence of the least recently used idle session (which
 *   then re-evaluates its prompt on its next turn); when all sequences are generating, a request
 *   waits for one (see sessionSlots.ts). `releaseSession` clears the session's sequence and makes
 *   it free for another session.
 * - Loads offline only: prebuilt llama.cpp binaries (`build: 'never'`), never a download or a
 *   compile at run time. CPU by default; `gpu: true` uses a GPU build if one is installed.
 * - Inference runs on llama.cpp's native threads; the event loop only sees per-token bookkeeping.
 * - Streams text as tokens are generated; `signal` stops generation after the current token.
 *   max_output_tokens "inf" means at most `contextSize` tokens.
 * - Function calling through node-llama-cpp's LlamaChat with the model's chat wrapper (resolved
 *   from its Jinja template or metadata). Calls are generated, never executed: they surface as
 *   tool_call deltas and the response ends with finish `tool_calls`; tool results in the
 *   conversation are fed back as the calls' results. With tool_choice "auto" the model decides
 *   (whether it calls depends on the model and how well its template's tool format is known to
 *   node-llama-cpp); "required" or a named tool forces a grammar-constrained call
 *   (llamaCppForcedCall.ts). "Thought" segments of reasoning models are not part of the output.
 * - Usage: input = prompt tokens (the rendered context), of which cached = those reused from the
 *   session's KV cache (not evaluated again); output = tokens generated (text, calls, and the end
 *   token). When LlamaChat evaluates extra input during function calling (call syntax the wrapper
 *   injects, text re-evaluated between parallel calls), input counts every evaluated token and
 *   cached is a lower bound.
 */
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import type { ChatModelFunctions, ChatWrapper, Llama, LlamaChatResponse, LlamaContext, LlamaContextSequence, LlamaModel, ResolvableChatWrapperTypeName } from 'node-llama-cpp';
import { EventChannel } from '../../util/eventChannel.js';
import { forcedFunctionCallWrapper } from './llamaCppForcedCall.js';
import { toChatFunctions, toChatHistory } from './llamaCppHistory.js';
import { importNodeLlamaCpp } from './llamaCppModule.js';
import type { NodeLlamaCppModule } from './llamaCppModule.js';
import { SessionSlots } from './sessionSlots.js';
import type { SessionSlotStats } from './sessionSlots.js';
import { ToolCallDeltas } from './toolCallDeltas.js';
import type { LlmCapabilities, LlmDelta, LlmEngine, LlmFinishReason, LlmRequest } from './types.js';
import { LlmEngineError } from './types.js';

export interface LlamaCppLlmOptions {
  /** Path of the .gguf model file. */
  modelPath: string;
  /** Tokens each session's context can hold (prompt + output). Default 4096, at most the model's training context. */
  contextSize?: number;
  /** Sessions that keep a context (KV cache) at once; memory grows with maxSessions × contextSize. Default 4. */
  maxSessions?: number;
  /** CPU threads for evaluation. Default: half the CPU cores (at least 1), leaving room for ASR/TTS. */
  threads?: number;
  /** Use a GPU build of llama.cpp when one is installed (CUDA/Vulkan/Metal packages). Default false (CPU). */
  gpu?: boolean;
  /** node-llama-cpp chat wrapper: "auto" (from the model's template and metadata) or a type name such as "llama3.1", "qwen", "chatML", "jinjaTemplate". Default "auto". */
  chatWrapper?: string;
  /** llama.cpp's log messages at or above `logLevel` (default "error") go here. Default: dropped. */
  log?: (level: string, message: string) => void;
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Tests only: replaces `import('node-llama-cpp')`. */
  importModule?: () => Promise<unknown>;
}

/** What the engine resolved at load time, for logs and tests. */
export interface LlamaCppModelInfo {
  modelPath: string;
  contextSize: number;
  maxSessions: number;
  threads: number;
  trainContextSize: number;
  chatWrapper: string;
  gpu: string | false;
}

const defaultContextSize = 4096;
const defaultMaxSessions = 4;

function defaultThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

function finishReasonOf(response: LlamaChatResponse<ChatModelFunctions | undefined>, calls: number): LlmFinishReason | null {
  const reason = response.metadata.stopReason;
  if (reason === 'abort') return null;
  if (reason === 'maxTokens') return 'length';
  if (calls > 0 || reason === 'functionCalls') return 'tool_calls';
  return 'stop';
}

export class LlamaCppLlmEngine implements LlmEngine {
  readonly name = 'gguf';
  readonly description: string;
  readonly capabilities: LlmCapabilities = { tools: true, parallelToolCalls: true, exactUsage: true };
  private readonly slots: SessionSlots<LlamaContextSequence>;
  private closed = false;

  private constructor(
    private readonly llamaCpp: NodeLlamaCppModule,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly chatWrapper: ChatWrapper,
    readonly info: LlamaCppModelInfo,
  ) {
    this.description = `gguf (${info.modelPath} via node-llama-cpp, ${info.gpu === false ? 'CPU' : info.gpu}, ${info.threads} threads, chat wrapper ${info.chatWrapper}, ${info.maxSessions} sessions × ${info.contextSize} tokens)`;
    this.slots = new SessionSlots(info.maxSessions, {
      create: () => context.getSequence(),
      reset: (sequence) => sequence.clearHistory(),
    });
  }

  /** Loads the model (once) and its shared context. Throws LlmEngineError with a clear message on failure. */
  static async create(options: LlamaCppLlmOptions): Promise<LlamaCppLlmEngine> {
    const { modelPath } = options;
    let isFile = false;
    try {
      isFile = statSync(modelPath).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) throw new LlmEngineError(`GGUF model file not found: ${modelPath}`, 'model_not_found');
    const maxSessions = options.maxSessions ?? defaultMaxSessions;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new LlmEngineError(`maxSessions must be a positive integer, got ${maxSessions}`, 'invalid_config');
    const threads = options.threads ?? defaultThreads();

    const llamaCpp = await importNodeLlamaCpp(options.importModule);
    const chatWrapperType = options.chatWrapper ?? 'auto';
    if (!(llamaCpp.resolvableChatWrapperTypeNames as readonly string[]).includes(chatWrapperType)) {
      throw new LlmEngineError(`Unknown chat wrapper "${chatWrapperType}"; use one of: ${llamaCpp.resolvableChatWrapperTypeNames.join(', ')}`, 'invalid_config');
    }
    const logLevel = llamaCpp.LlamaLogLevel[options.logLevel ?? 'error'];
    let llama: Llama;
    try {
      llama = await llamaCpp.getLlama({
        gpu: options.gpu ? 'auto' : false,
        build: 'never',
        skipDownload: true,
        progressLogs: false,
        maxThreads: threads,
        logLevel,
        logger: (level, message) => options.log?.(String(level), message.trimEnd()),
      });
    } catch (error) {
      throw new LlmEngineError(`node-llama-cpp found no usable prebuilt llama.cpp binary (voicelive never compiles it at run time): ${(error as Error).message}`, 'llm_dependency_failed');
    }
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath });
    } catch (error) {
      await llama.dispose().catch(() => undefined);
      throw new LlmEngineError(`Could not load GGUF model ${modelPath}: ${(error as Error).message}`, 'model_load_failed');
    }
    const contextSize = Math.min(options.contextSize ?? defaultContextSize, model.trainContextSize);
    let context: LlamaContext;
    let chatWrapper: ChatWrapper;
    try {
      context = await model.createContext({ contextSize, sequences: maxSessions, threads });
      chatWrapper = llamaCpp.resolveChatWrapper(model, { type: chatWrapperType as ResolvableChatWrapperTypeName, warningLogs: false });
    } catch (error) {
      await model.dispose().catch(() => undefined);
      await llama.dispose().catch(() => undefined);
      throw new LlmEngineError(`Could not create a ${contextSize}-token context for ${maxSessions} sessions with ${modelPath}: ${(error as Error).message}`, 'model_load_failed');
    }
    return new LlamaCppLlmEngine(llamaCpp, llama, model, context, chatWrapper, {
      modelPath,
      contextSize: context.contextSize,
      maxSessions,
      threads,
      trainContextSize: model.trainContextSize,
      chatWrapper: chatWrapper.wrapperName,
      gpu: llama.gpu,
    });
  }

  /** Sessions holding a context, generating, and waiting (for tests and metrics). */
  stats(): SessionSlotStats {
    return this.slots.stats();
  }

  releaseSession(sessionId: string): void {
    this.slots.release(sessionId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }

  async *generate(request: LlmRequest, signal: AbortSignal): AsyncIterable<LlmDelta> {
    if (this.closed) throw new LlmEngineError('the gguf engine is closed', 'llm_closed');
    const plan = toChatFunctions(request.tools, request.toolChoice);
    // A named tool_choice means one call of that tool (as the OpenAI API does).
    const maxParallelFunctionCalls = request.parallelToolCalls && typeof request.toolChoice !== 'object' ? undefined : 1;
    const history = toChatHistory(request);
    if (signal.aborted) return;
    const slot = await this.slots.acquire(request.sessionId, signal);
    if (slot === null) return;
    if (signal.aborted) {
      this.slots.done(slot);
      return;
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const channel = new EventChannel<LlmDelta>(() => stop.abort());
    let generation: Promise<void> | null = null;
    try {
      generation = this.run(slot.state, request, history, { ...plan, maxParallelFunctionCalls }, stop.signal, channel);
      for await (const delta of channel) yield delta;
    } finally {
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      await generation;
      this.slots.done(slot);
    }
  }

  /** Runs one generation on `sequence`, pushing deltas into `channel`; never rejects. */
  private async run(
    sequence: LlamaContextSequence,
    request: LlmRequest,
    history: ReturnType<typeof toChatHistory>,
    plan: ReturnType<typeof toChatFunctions> & { maxParallelFunctionCalls: number | undefined },
    signal: AbortSignal,
    channel: EventChannel<LlmDelta>,
  ): Promise<void> {
    const wrapper = plan.forced ? forcedFunctionCallWrapper(this.llamaCpp, this.chatWrapper) : this.chatWrapper;
    const chat = new this.llamaCpp.LlamaChat({ contextSequence: sequence, chatWrapper: wrapper });
    const calls = new ToolCallDeltas();
    const push = (deltas: LlmDelta[]) => {
      for (const d of deltas) channel.push(d);
    };
    try {
      const promptTokens = wrapper
        .generateContextState({ chatHistory: history, availableFunctions: plan.functions, documentFunctionParams: true })
        .contextText.tokenize(this.model.tokenizer).length;
      const meterBefore = sequence.tokenMeter.getState();
      const response = await chat.generateResponse(history, {
        signal,
        stopOnAbortSignal: true,
        // 'inf' still ends: at most one context's worth of tokens (beyond that llama.cpp would
        // shift the context and could run forever on a model that never ends its turn).
        maxTokens: request.maxOutputTokens === 'inf' ? this.info.contextSize : request.maxOutputTokens,
        temperature: request.temperature,
        // node-llama-cpp's default seed is the current second, so requests within one second would
        // sample identically; each response gets its own.
        seed: randomInt(2 ** 31),
        functions: plan.functions,
        documentFunctionParams: true,
        maxParallelFunctionCalls: plan.maxParallelFunctionCalls,
        onTextChunk: (text) => {
          if (text.length > 0) channel.push({ type: 'text', text });
        },
        onFunctionCallParamsChunk: (chunk) => {
          push(calls.start(chunk.callIndex, chunk.functionName));
          push(calls.arguments(chunk.callIndex, chunk.paramsChunk));
        },
      });
      if (signal.aborted) return; // quietly: no usage or finish for a cancelled response
      const functionCalls = response.functionCalls ?? [];
      functionCalls.forEach((call, index) => {
        push(calls.start(index, call.functionName));
        push(calls.finish(index, JSON.stringify(call.params ?? {})));
      });
      const used = sequence.tokenMeter.diff(meterBefore);
      // node-llama-cpp decodes the prompt's last token in its generation loop without metering it
      // as input, so the tokens evaluated as input are one more than the meter says. They can
      // exceed the prompt when LlamaChat re-evaluates text between parallel function calls; input
      // then counts every evaluated token and cached (the prompt tokens not evaluated) is a floor.
      const evaluatedInput = used.usedInputTokens + 1;
      channel.push({
        type: 'usage',
        inputTokens: Math.max(promptTokens, evaluatedInput),
        outputTokens: used.usedOutputTokens,
        cachedInputTokens: Math.max(0, promptTokens - evaluatedInput),
      });
      const finish = finishReasonOf(response, calls.count);
      if (finish !== null) channel.push({ type: 'finish', reason: finish });
    } catch (error) {
      if (!signal.aborted) channel.fail(error instanceof LlmEngineError ? error : new LlmEngineError(`gguf generation failed: ${(error as Error).message}`, 'llm_generation_failed'));
    } finally {
      channel.close();
      chat.dispose({ disposeSequence: false });
    }
  }
}
