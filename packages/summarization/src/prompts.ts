/**
 * Prompt templates. The structure follows BooookScore (Chang et al., arXiv 2310.00785, App. prompts):
 * chunk summaries that know they will be merged, merges of numbered consecutive summaries with the
 * previous merged summary as context, and incremental updates of a running summary. Length is primed
 * InstructCMP-style (Juseon-Do et al., ACL Findings 2024): every prompt states the source length and
 * the exact word count wanted, and the target is the last number of words the prompt mentions.
 */

export interface Prompt {
  system: string;
  prompt: string;
}

export const SYSTEM_PROMPT =
  'You summarize documents faithfully. Write plain prose: no title, headings, lists or preamble, and no comments about the task. ' +
  'Never invent facts. Always end with a complete sentence.';

/**
 * Query-focused summarization: appended to the system prompt of every call of a run given a
 * question, so every method (and every level of a merge tree) keeps to it.
 */
export function focusInstruction(question: string): string {
  return (
    `\n\nThe reader wants to know: ${question.trim()}\nFocus the summary on what bears on this question and leave out what ` +
    'does not. If the text says nothing about it, summarize what the text does say.'
  );
}

/** Why the previous answer was rejected; appended to the same prompt on a retry. */
export type Correction = { kind: 'length'; got: number } | { kind: 'unfinished' };

const fence = (text: string) => `"""\n${text}\n"""`;

function lengthLine(sourceWords: number, targetWords: number, what: string): string {
  const cut = Math.max(sourceWords - targetWords, 0);
  return (
    `The text above consists of ${sourceWords} words. Write ${what} that consists of exactly ${targetWords} words, ` +
    `leaving out the less important ${cut} words of detail. Answer with the summary only, in exactly ${targetWords} words.`
  );
}

function correctionLine(correction: Correction | undefined, targetWords: number): string {
  if (!correction) return '';
  if (correction.kind === 'unfinished') {
    return `\n\nYour previous answer stopped in the middle of a sentence. Write the whole summary again and end it with a complete sentence, in exactly ${targetWords} words.`;
  }
  const direction = correction.got > targetWords ? 'too long' : 'too short';
  return `\n\nYour previous answer had ${correction.got} words, which is ${direction}. Write it again so that it consists of exactly ${targetWords} words.`;
}

/** Level 0 of hierarchical merging and the map step: one part of the document. */
export function chunkPrompt(chunk: string, sourceWords: number, targetWords: number, correction?: Correction): Prompt {
  return {
    system: SYSTEM_PROMPT,
    prompt:
      'Below is one part of a longer document. The document is summarized part by part and the summaries are then merged, ' +
      'so summarize only this part. Cover its key events, people, arguments and facts in the order they appear, ' +
      'introduce each person or concept the first time it is mentioned, and write as if in one go, not as notes.\n\n' +
      `${fence(chunk)}\n\n${lengthLine(sourceWords, targetWords, 'a summary of this part')}${correctionLine(correction, targetWords)}`,
  };
}

/** A merge of consecutive summaries, optionally with the previous merged summary as context. */
export function mergePrompt(
  summaries: readonly string[],
  context: string | undefined,
  sourceWords: number,
  targetWords: number,
  correction?: Correction,
): Prompt {
  const parts = summaries.map((summary, i) => `Summary ${i + 1}:\n${fence(summary)}`).join('\n\n');
  const contextBlock = context
    ? 'For context, this is a summary of what comes before these parts. Do not repeat it; use it only to keep names and ' +
      `events consistent:\n${fence(context)}\n\n`
    : '';
  return {
    system: SYSTEM_PROMPT,
    prompt:
      'Below are summaries of consecutive parts of a document, in order. Merge them into one coherent summary of the whole ' +
      'span: keep the order of events, remove repetition, and connect the parts so it reads as if written in one go.\n\n' +
      `${contextBlock}${parts}\n\n${lengthLine(sourceWords, targetWords, 'one merged summary')}${correctionLine(correction, targetWords)}`,
  };
}

/** Incremental updating: the running summary plus the next part. */
export function updatePrompt(summary: string, chunk: string, sourceWords: number, targetWords: number, correction?: Correction): Prompt {
  return {
    system: SYSTEM_PROMPT,
    prompt:
      'Below is a summary of a document up to a point, followed by the next part of the document. Update the summary so that ' +
      'it also covers the next part: keep what still matters from the summary, add the new key events, people and facts ' +
      'in order, and introduce each new person or concept.\n\n' +
      `Summary so far:\n${fence(summary)}\n\nNext part:\n${fence(chunk)}\n\n` +
      `${lengthLine(sourceWords, targetWords, 'the updated summary')}${correctionLine(correction, targetWords)}`,
  };
}

/** Incremental updating's compression of a running summary that would overflow. */
export function compressPrompt(summary: string, sourceWords: number, targetWords: number, correction?: Correction): Prompt {
  return {
    system: SYSTEM_PROMPT,
    prompt:
      'Below is a summary of part of a document. Shorten it, keeping the most important events, people and facts in their order.\n\n' +
      `${fence(summary)}\n\n${lengthLine(sourceWords, targetWords, 'the shortened summary')}${correctionLine(correction, targetWords)}`,
  };
}

/** Map-reduce's reduce step: combine independent summaries (no context). */
export function combinePrompt(summaries: readonly string[], sourceWords: number, targetWords: number, correction?: Correction): Prompt {
  return mergePrompt(summaries, undefined, sourceWords, targetWords, correction);
}

/** Refine: improve an existing summary with the next part (LangChain's refine chain, with budgets). */
export function refinePrompt(summary: string, chunk: string, sourceWords: number, targetWords: number, correction?: Correction): Prompt {
  return {
    system: SYSTEM_PROMPT,
    prompt:
      'Below is an existing summary of a document so far and some more of the document. Refine the existing summary with ' +
      'the new text: correct it where the new text changes the picture and add what is important, so it summarizes ' +
      'everything read so far.\n\n' +
      `Existing summary:\n${fence(summary)}\n\nMore of the document:\n${fence(chunk)}\n\n` +
      `${lengthLine(sourceWords, targetWords, 'the refined summary')}${correctionLine(correction, targetWords)}`,
  };
}

/**
 * The largest correction any retry appends, for reserving room up front: a retry never has to
 * shrink its content to fit.
 */
export function longestCorrection(targetWords: number): string {
  return [correctionLine({ kind: 'unfinished' }, targetWords), correctionLine({ kind: 'length', got: 9_999_999 }, targetWords)].reduce(
    (a, b) => (a.length > b.length ? a : b),
  );
}
