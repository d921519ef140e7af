import type { Command } from 'commander';
import type { LanguageModel } from '@chunkwise/core';
import { openAICompatible } from '@chunkwise/providers';
import { UsageError } from './errors.js';
import { parseInteger } from './flags.js';

/** Context window assumed when neither `--context-window` nor CHUNKWISE_LLM_CONTEXT_WINDOW is given. */
export const DEFAULT_CONTEXT_WINDOW = 8192;

/** The flags {@link addLlmOptions} registers, as commander parses them. */
export interface LlmFlags {
  llm?: string;
  model?: string;
  contextWindow?: string;
}

/** Adds `--llm <baseURL> --model <name> --context-window <tokens>` to a command. */
export function addLlmOptions(command: Command): Command {
  return command
    .option('--llm <baseURL>', 'OpenAI-compatible API root, e.g. http://localhost:11434/v1 (env CHUNKWISE_LLM_URL)')
    .option('--model <name>', 'model name on that server (env CHUNKWISE_LLM_MODEL)')
    .option('--context-window <tokens>', `model context window in tokens (env CHUNKWISE_LLM_CONTEXT_WINDOW, default ${DEFAULT_CONTEXT_WINDOW})`);
}

/**
 * Builds the LanguageModel the user configured with flags or environment variables (flags win),
 * or returns undefined when no LLM is configured, so commands fall back to their model-free path.
 * The API key comes only from CHUNKWISE_LLM_API_KEY: a key on the command line ends up in shell history.
 */
export function languageModelFromOptions(
  flags: LlmFlags,
  env: Record<string, string | undefined> = process.env,
  extra: { timeoutMs?: number; maxConcurrency?: number } = {},
): LanguageModel | undefined {
  const baseURL = flags.llm ?? nonEmpty(env.CHUNKWISE_LLM_URL);
  const model = flags.model ?? nonEmpty(env.CHUNKWISE_LLM_MODEL);
  const windowText = flags.contextWindow ?? nonEmpty(env.CHUNKWISE_LLM_CONTEXT_WINDOW);
  if (baseURL === undefined) {
    if (flags.model !== undefined || flags.contextWindow !== undefined) {
      throw new UsageError('--model and --context-window need --llm <baseURL> (or CHUNKWISE_LLM_URL).');
    }
    return undefined;
  }
  if (model === undefined) {
    throw new UsageError(`an LLM at ${baseURL} needs a model name: pass --model <name> or set CHUNKWISE_LLM_MODEL.`);
  }
  const contextWindow = windowText === undefined ? DEFAULT_CONTEXT_WINDOW : parseInteger(windowText, flags.contextWindow === undefined ? 'CHUNKWISE_LLM_CONTEXT_WINDOW' : '--context-window', { min: 1 });
  const apiKey = nonEmpty(env.CHUNKWISE_LLM_API_KEY);
  try {
    return openAICompatible({
      baseURL,
      model,
      contextWindow,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
      ...(extra.maxConcurrency === undefined ? {} : { maxConcurrency: extra.maxConcurrency }),
    });
  } catch (error) {
    // A malformed URL is the user's typo, not a runtime failure: exit 2 with the reason.
    if (error instanceof Error && (error as { code?: unknown }).code === 'INVALID_ARGUMENT') throw new UsageError(error.message);
    throw error;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
