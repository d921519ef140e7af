import { openAICompatible } from '@chunkwise/providers';
import { answerStream, type AnswerMethod, type AnswerPassage, type AnswerStreamPart } from '@chunkwise/summarization';

/** A local OpenAI-compatible server (Ollama, llama.cpp server, vLLM, LM Studio). */
export interface LlmSettings {
  baseURL: string;
  model: string;
  contextWindow: number;
}

export interface AnswerRequest {
  question: string;
  /** The passages the context assembled, with where they came from. */
  passages: AnswerPassage[];
  method: AnswerMethod;
  targetWords: number;
  /** Needed by every method but `extractive`. */
  llm: LlmSettings | null;
}

/**
 * `answerStream` from @chunkwise/summarization over the context's passages: extractive answers
 * offline, the other methods through `openAICompatible` (its `generateStream`, so text arrives as
 * the server writes it). The last part carries the checked answer and its citations.
 */
export function streamAnswer(request: AnswerRequest, signal: AbortSignal): AsyncGenerator<AnswerStreamPart, void, undefined> {
  const model = request.llm ? openAICompatible({ ...request.llm, maxRetries: 1 }) : undefined;
  return answerStream(request.question, request.passages, {
    method: request.method,
    targetWords: request.targetWords,
    signal,
    ...(model ? { model } : {}),
  });
}
