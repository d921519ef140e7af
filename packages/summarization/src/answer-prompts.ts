import type { Correction, Prompt } from './prompts.js';

/**
 * Prompts of the answer step. Passages are numbered `[1]`, `[2]`… and the model cites them the
 * same way after each sentence (LlamaIndex's CitationQueryEngine and ALCE, Gao et al. 2023,
 * arXiv 2305.14627, ask for the same bracketed form); the answer is then checked, never trusted.
 * Length is a ceiling ("at most N words"): a short exact answer is a good answer.
 */

export const ANSWER_SYSTEM_PROMPT =
  'You answer questions using only the numbered passages you are given. After each sentence, cite the passages it ' +
  'draws on by their numbers in square brackets, such as [1] or [2][3]. Cite only numbers of passages that you were ' +
  'given. If the passages do not contain the answer, say so in one sentence. Write plain prose: no title, lists or ' +
  'preamble. Always end with a complete sentence.';

/** One passage (or piece of one) as the prompt shows it. */
export interface PassageBlock {
  /** 1-based passage number: the citation the model must use. */
  number: number;
  text: string;
}

export function formatBlocks(blocks: readonly PassageBlock[]): string {
  return blocks.map((block) => `[${block.number}] ${block.text.trim()}`).join('\n\n');
}

function limitLine(targetWords: number): string {
  return `Answer in at most ${targetWords} words, citing the passages as [n] after each sentence.`;
}

function correctionLine(correction: Correction | undefined, targetWords: number): string {
  if (!correction) return '';
  if (correction.kind === 'unfinished') {
    return `\n\nYour previous answer stopped in the middle of a sentence. Write the whole answer again, in at most ${targetWords} words, and end it with a complete sentence.`;
  }
  return `\n\nYour previous answer had ${correction.got} words, which is too long. Write it again in at most ${targetWords} words, keeping its citations.`;
}

/** The first answer (compact, the first step of refine, each group of tree). */
export function answerPrompt(question: string, blocks: readonly PassageBlock[], targetWords: number, correction?: Correction): Prompt {
  return {
    system: ANSWER_SYSTEM_PROMPT,
    prompt: `Passages:\n\n${formatBlocks(blocks)}\n\nQuestion: ${question}\n\n${limitLine(targetWords)}${correctionLine(correction, targetWords)}`,
  };
}

/** Refine (LlamaIndex/LangChain): improve an existing answer with more passages. */
export function refineAnswerPrompt(
  question: string,
  existing: string,
  blocks: readonly PassageBlock[],
  targetWords: number,
  correction?: Correction,
): Prompt {
  return {
    system: ANSWER_SYSTEM_PROMPT,
    prompt:
      `Question: ${question}\n\nAn existing answer, written from earlier passages, with its citations:\n"""\n${existing}\n"""\n\n` +
      `More passages:\n\n${formatBlocks(blocks)}\n\n` +
      'Refine the existing answer with the new passages: correct it where they change the picture and add what they add, ' +
      'citing them by their numbers. Keep the citations of the existing answer that still hold, exactly as written. If the ' +
      'new passages add nothing, repeat the existing answer unchanged. ' +
      `${limitLine(targetWords)}${correctionLine(correction, targetWords)}`,
  };
}

/** Tree: merge answers written from different groups of passages. */
export function mergeAnswersPrompt(question: string, answers: readonly string[], targetWords: number, correction?: Correction): Prompt {
  const parts = answers.map((answer, i) => `Partial answer ${i + 1}:\n"""\n${answer}\n"""`).join('\n\n');
  return {
    system: ANSWER_SYSTEM_PROMPT,
    prompt:
      `Question: ${question}\n\nEach partial answer below was written from a different group of passages, with citations ` +
      `to the passages' numbers.\n\n${parts}\n\n` +
      'Merge them into one answer to the question: keep what answers it, drop repetition and partial answers that found ' +
      'nothing, and keep every citation number exactly as written (do not renumber). ' +
      `${limitLine(targetWords)}${correctionLine(correction, targetWords)}`,
  };
}

/** The largest correction a retry appends, to reserve room for it up front. */
export function longestAnswerCorrection(targetWords: number): string {
  return [correctionLine({ kind: 'unfinished' }, targetWords), correctionLine({ kind: 'length', got: 9_999_999 }, targetWords)].reduce((a, b) =>
    a.length > b.length ? a : b,
  );
}
