/**
 * tool_choice "required" (or a named tool) for node-llama-cpp: a view of the model's chat wrapper
 * whose prompt ends with the wrapper's function-call prefix and which tells LlamaChat that function
 * calling is already engaged. LlamaChat then generates the function name and the JSON arguments
 * under its grammar (names restricted to the offered functions, arguments to their JSON Schemas),
 * so the response is always a function call, whatever the weights.
 *
 * Everything else (templates, function documentation, result rendering, stop triggers) is the
 * original wrapper's: the view inherits from it and replaces only `generateContextState`. For
 * wrappers with a parallel-call section (e.g. Llama 3.1, Qwen) the section prefix is added before
 * the call prefix. Wrappers that detect calls by their own prefix triggers lose those triggers in
 * this mode, which is fine: the call is already under way.
 */
import type { ChatWrapper, LlamaText as LlamaTextType } from 'node-llama-cpp';
import type { NodeLlamaCppModule } from './llamaCppModule.js';

export function forcedFunctionCallWrapper(llamaCpp: NodeLlamaCppModule, base: ChatWrapper): ChatWrapper {
  const view = Object.create(base) as ChatWrapper;
  const generateContextState: ChatWrapper['generateContextState'] = (options) => {
    const state = base.generateContextState(options);
    const call = base.settings.functions.call;
    const sectionPrefix = base.settings.functions.parallelism?.call.sectionPrefix ?? '';
    const contextText: LlamaTextType = llamaCpp.LlamaText([state.contextText, sectionPrefix, call.prefix]);
    return {
      contextText,
      stopGenerationTriggers: state.stopGenerationTriggers,
      ignoreStartText: state.ignoreStartText,
      functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] },
    };
  };
  Object.defineProperty(view, 'generateContextState', { value: generateContextState });
  return view;
}
