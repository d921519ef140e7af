import { describe, expect, it } from 'vitest';
import { reference } from './__fixtures__/tiktoken-reference.js';
import { countChat } from './count-chat.js';

const messages = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'user', content: 'Call me Ishmael. <|endoftext|> is plain text here.' },
];

/** OpenAI cookbook's num_tokens_from_messages, computed with tiktoken itself. */
function cookbook(name: 'cl100k_base' | 'o200k_base', perMessage: number, perName: number): number {
  const encoder = reference(name);
  let total = 3;
  for (const message of messages) {
    total += perMessage;
    for (const [key, value] of Object.entries(message)) {
      total += encoder.encode_ordinary(value).length;
      if (key === 'name') total += perName;
    }
  }
  return total;
}

describe('countChat', () => {
  it('follows the OpenAI cookbook for ChatML models', async () => {
    expect(await countChat(messages, 'gpt-4o')).toBe(cookbook('o200k_base', 3, 1));
    expect(await countChat(messages, 'gpt-4-0613')).toBe(cookbook('cl100k_base', 3, 1));
    expect(await countChat(messages, 'gpt-3.5-turbo-0301')).toBe(cookbook('cl100k_base', 4, -1));
  });

  it('counts the harmony rendering for gpt-oss', async () => {
    const plain = messages.slice(0, 2).concat({ role: 'user', content: 'Call me Ishmael.' });
    const rendered =
      plain.map((m) => `<|start|>${m.name ? `${m.role}:${m.name}` : m.role}<|message|>${m.content}<|end|>`).join('') + '<|start|>assistant';
    expect(await countChat(plain, 'gpt-oss-120b')).toBe(reference('o200k_harmony').encode(rendered, 'all').length);
  });

  it('rejects unknown models with NOT_FOUND', async () => {
    await expect(countChat(messages, 'claude-3')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
