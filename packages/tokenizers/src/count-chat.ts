import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from './describe-value.js';
import { encodingForModel } from './encoding-for-model.js';
import { getEncoding } from './get-encoding.js';

/** One chat message as sent to an OpenAI-style chat completions API. */
export interface ChatMessage {
  role: string;
  content: string;
  name?: string;
}

/**
 * Prompt tokens a list of chat messages costs on `model`.
 *
 * ChatML models (gpt-3.5-turbo, gpt-4, gpt-4o, gpt-4.1, o-series, gpt-5): OpenAI cookbook
 * "How to count tokens with tiktoken" (`num_tokens_from_messages`): 3 tokens per message
 * (`<|start|>{role}\n … <|end|>\n`), 1 per name, plus 3 priming the reply; gpt-3.5-turbo-0301 uses
 * 4 per message and −1 per name. gpt-oss (harmony): each message is rendered as
 * `<|start|>{role}<|message|>{content}<|end|>` and the reply is primed with `<|start|>assistant`.
 * Message text is counted as ordinary text, as the API does.
 */
export async function countChat(messages: readonly ChatMessage[], model: string): Promise<number> {
  checkMessages(messages);
  const name = encodingForModel(model);
  const encoding = await getEncoding(name);
  if (name === 'o200k_harmony') {
    let total = encoding.count('assistant') + 1;
    for (const message of messages) {
      const role = message.name ? `${message.role}:${message.name}` : message.role;
      total += 3 + encoding.count(role) + encoding.count(message.content);
    }
    return total;
  }
  const legacy = model === 'gpt-3.5-turbo-0301';
  const perMessage = legacy ? 4 : 3;
  const perName = legacy ? -1 : 1;
  let total = 3;
  for (const message of messages) {
    total += perMessage + encoding.count(message.role) + encoding.count(message.content);
    if (message.name !== undefined) total += perName + encoding.count(message.name);
  }
  return total;
}

function checkMessages(messages: unknown): asserts messages is readonly ChatMessage[] {
  if (!Array.isArray(messages)) throw new ChunkwiseError('INVALID_ARGUMENT', `Expected messages as an array, got ${describeValue(messages)}.`);
  messages.forEach((message: unknown, index) => {
    const { role, content, name } = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
    if (typeof role !== 'string' || typeof content !== 'string' || (name !== undefined && typeof name !== 'string')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `messages[${index}] must be { role: string, content: string, name?: string }, got ${describeValue(message)}.`, {
        details: { index },
      });
    }
  });
}
