import type { Tokenizer } from '@chunkwise/core';

/** A retrieved chunk offered for the context: its text and where it came from. */
export interface ContextHit {
  id: string;
  score: number;
  text: string;
  /** The source document, for citations and document order. */
  docId?: string;
  /** UTF-16 offsets of `text` in the source document. */
  start?: number;
  end?: number;
  /** Position of the chunk in its document (used for neighbour expansion). */
  chunkIndex?: number;
}

/** A passage placed in the context, with its citation. */
export interface ContextPassage {
  /** The hit that brought this passage in. */
  id: string;
  /** Every chunk id the passage covers (more than one after expansion). */
  ids: string[];
  text: string;
  docId: string | undefined;
  start: number | undefined;
  end: number | undefined;
  score: number;
  tokens: number;
}

export interface ContextResult {
  /** Passages in document order (document id, then offset): stable across calls. */
  passages: ContextPassage[];
  /** The passages joined with the separator: what to put in the prompt. */
  text: string;
  /** tokenizer.count(text); never more than budgetTokens. */
  tokens: number;
  budgetTokens: number;
}

export type ContextUtility = (passages: readonly ContextPassage[]) => number;
/** A utility that may answer asynchronously (a reranker or LLM judge), for selectContextAsync. */
export type AsyncContextUtility = (passages: readonly ContextPassage[]) => number | Promise<number>;

/** The strategies selectContext accepts, for CLIs and UIs that offer a choice. */
export const CONTEXT_STRATEGIES = ['top-k', 'score-drop', 'knapsack', 'search'] as const;
export type ContextStrategy = (typeof CONTEXT_STRATEGIES)[number];

export interface SelectContextOptions {
  budgetTokens: number;
  tokenizer: Tokenizer;
  /** Default 'top-k'. */
  strategy?: ContextStrategy;
  /** At most this many passages (all strategies); default no limit. */
  k?: number;
  /** Joins passages; its tokens count against the budget. Default '\n\n'. */
  separator?: string;
  /** SAGE-style cut: stop where the score falls by more than threshold × top score. */
  scoreDrop?: { threshold?: number; minCount?: number };
  /** CORAG-style Monte Carlo tree search over passage combinations. */
  search?: {
    iterations?: number;
    /** UCB exploration constant; default 1.41. */
    exploration?: number;
    /** Token-cost penalty λ in UCB; default 1. */
    lengthPenalty?: number;
    /** Only the best this-many passages are combined; default 16. */
    maxCandidates?: number;
    /** What a combination is worth; default: summed scores discounted for overlapping wording. */
    utility?: ContextUtility;
  };
  expand?: {
    /** Replace each hit by itself plus this many chunks either side (needs `chunks`). */
    neighbours?: number;
    /** All chunks of a document, in order, for neighbour expansion. */
    chunks?: (docId: string) => readonly ContextHit[] | undefined;
    /** Small-to-big: the wider window a small indexed chunk belongs to. */
    parent?: (hit: ContextHit) => { id: string; text: string; start?: number; end?: number } | undefined;
  };
}

/** selectContextAsync's options: the same, except that the search utility may return a promise. */
export interface SelectContextAsyncOptions extends Omit<SelectContextOptions, 'search'> {
  search?: Omit<NonNullable<SelectContextOptions['search']>, 'utility'> & { utility?: AsyncContextUtility };
}
