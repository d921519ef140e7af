import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from '../argument-checks.js';
import { cjkAnalyzer } from './cjk.js';
import { englishAnalyzer } from './english.js';
import { simpleAnalyzer } from './simple.js';

/** An analyzer turns text into index terms. Custom analyzers are plain functions. */
export type Analyzer = (text: string) => string[];

/** The built-in analyzers, selectable by name. */
export type AnalyzerName = 'simple' | 'english' | 'cjk';

/** Resolves a name or a function to an analyzer function. */
export function resolveAnalyzer(analyzer: Analyzer | AnalyzerName | undefined): Analyzer {
  if (analyzer === undefined || analyzer === 'simple') return simpleAnalyzer;
  if (analyzer === 'english') return englishAnalyzer;
  if (analyzer === 'cjk') return cjkAnalyzer;
  if (typeof analyzer === 'function') return analyzer;
  throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown analyzer ${describeValue(analyzer)}: use 'simple', 'english', 'cjk' or a function (text) => string[].`);
}
