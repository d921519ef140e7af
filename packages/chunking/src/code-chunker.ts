import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import { lineLevel, paragraphLevel, wordLevel, type Level } from './boundaries/levels.js';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker } from './chunker.js';
import { describeValue, optionalWithMethods, type BaseChunkerOptions } from './chunk-options.js';
import { loadCodeParser, resolveCodeLanguage, type CodeLanguage, type GrammarSource, type TreeSitterModule } from './code-grammars.js';

/** The part of a tree-sitter node the chunker reads (web-tree-sitter's `Node` fits; offsets in UTF-16 code units). */
export interface SyntaxNode {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly children: readonly (SyntaxNode | null)[];
  /** Node type; a `comment` directly above a node is kept with it. */
  readonly type?: string;
}

/**
 * A parser with its language already set, e.g. a web-tree-sitter `Parser` after
 * `parser.setLanguage(await Language.load(wasmPathOrBytes))`. Passing it in keeps this entry free of
 * file-system access, so it runs in browsers with grammar bytes fetched by the app.
 */
export interface CodeParser {
  parse(text: string): { readonly rootNode: SyntaxNode; delete?(): void } | null;
}

export interface CodeChunkerOptions extends BaseChunkerOptions {
  /** Syntax-aware splitting with this parser; without one (and no known `language`), code is split by blank lines, then lines. */
  parser?: CodeParser;
  /**
   * The language (`'typescript'`, `'python'`, `'ts'`, `'py'`, any of `CODE_LANGUAGES` or their
   * extensions): its tree-sitter grammar is loaded on first use, from `grammar` or, in Node, from
   * the optional peer `tree-sitter-wasms` (with `web-tree-sitter`). A language without a grammar
   * there is split by blank lines, then lines.
   */
  language?: string;
  /** The grammar's `.wasm` bytes (browsers) or path, instead of `tree-sitter-wasms`' file. */
  grammar?: GrammarSource;
  /** The `web-tree-sitter` module, for bundles where this package should not import it itself (browsers). */
  treeSitter?: TreeSitterModule;
}

/** Syntax levels tried before falling back to lines: each one descends one node deeper. */
const SYNTAX_DEPTH = 12;

/**
 * Syntax-aware code chunks (cf. LlamaIndex CodeSplitter, text-splitter's tree-sitter levels): a
 * range that does not fit is cut at the starts of the children of the smallest syntax node that
 * encloses it — top-level functions and classes first, then their members and blocks — moved back
 * to the start of the line so indentation and leading comments stay with their node. Whatever no
 * node can split falls back to lines and words.
 */
export class CodeChunker extends BaseChunker {
  /** The grammar in use, or undefined when code is split by lines. */
  readonly language: CodeLanguage | undefined;
  private parser: CodeParser | Promise<CodeParser> | undefined;
  private readonly grammar: GrammarSource | undefined;
  private readonly treeSitter: TreeSitterModule | undefined;

  constructor(options: CodeChunkerOptions) {
    super(options);
    const { language, grammar, treeSitter } = options;
    const parser = optionalWithMethods<CodeParser>(options.parser, 'parser', ['parse'], 'a parser with its language set');
    if (language !== undefined && typeof language !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `language must be a language name or file extension, got ${describeValue(language)}.`);
    if (grammar !== undefined && typeof grammar !== 'string' && !(grammar instanceof Uint8Array)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `grammar must be the .wasm bytes (Uint8Array) or a path, got ${describeValue(grammar)}.`);
    }
    if (treeSitter !== undefined && typeof (treeSitter as { Parser?: { init?: unknown } } | null)?.Parser?.init !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `treeSitter must be the web-tree-sitter module, got ${describeValue(treeSitter)}.`);
    }
    if (parser && language !== undefined) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'Pass either a parser or a language, not both: a parser already has its language set.');
    }
    this.language = language === undefined ? undefined : resolveCodeLanguage(language);
    if (grammar !== undefined && !this.language) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `A grammar needs a known language (one of CODE_LANGUAGES), got ${JSON.stringify(language)}.`, {
        details: { language },
      });
    }
    this.parser = parser;
    this.grammar = grammar;
    this.treeSitter = treeSitter;
  }

  /** The parser, loading the language's grammar on first use. */
  private resolveParser(): CodeParser | Promise<CodeParser> | undefined {
    if (this.parser || !this.language) return this.parser;
    const loading = loadCodeParser(this.language, this.grammar, this.treeSitter);
    this.parser = loading;
    loading.then(
      (parser) => (this.parser = parser),
      () => (this.parser = undefined),
    );
    return loading;
  }

  protected async chunkText(planner: ChunkPlanner): Promise<Chunk[]> {
    const { text } = planner;
    const parser = await this.resolveParser();
    const tree = parser?.parse(text) ?? null;
    try {
      const levels: Level[] = tree ? [...Array.from({ length: SYNTAX_DEPTH }, () => syntaxLevel(tree.rootNode)), lineLevel, wordLevel] : [paragraphLevel, lineLevel, wordLevel];
      return planner.chunk(0, text.length, levels, this.maxTokens, this.overlap);
    } finally {
      tree?.delete?.();
    }
  }
}

function syntaxLevel(root: SyntaxNode): Level {
  return {
    name: 'syntax',
    splits(text, start, end) {
      // The range may carry whitespace the enclosing node does not cover: compare without it.
      let from = start;
      let to = end;
      while (from < to && /\s/.test(text[from] ?? '')) from++;
      while (to > from && /\s/.test(text[to - 1] ?? '')) to--;
      let node = root;
      for (;;) {
        const inner = node.children.find((child) => child !== null && child.startIndex <= from && child.endIndex >= to);
        if (!inner) break;
        node = inner;
      }
      // Cut only where a child starts its own line; when none does (`export class X {` puts the
      // keyword, the name and the body on one line), look inside the largest child instead.
      for (let depth = 0; depth < 8; depth++) {
        const splits = lineAlignedStarts(text, node, start, end);
        if (splits.length > 0) return splits;
        let largest: SyntaxNode | undefined;
        for (const child of node.children) {
          if (child && child.endIndex > start && child.startIndex < end && (!largest || child.endIndex - child.startIndex > largest.endIndex - largest.startIndex)) largest = child;
        }
        if (!largest) break;
        node = largest;
      }
      return [];
    },
  };
}

function lineAlignedStarts(text: string, node: SyntaxNode, start: number, end: number): number[] {
  const splits: number[] = [];
  let previous: SyntaxNode | null = null;
  for (const child of node.children) {
    const above = previous;
    previous = child;
    if (!child || child.startIndex <= start || child.startIndex >= end) continue;
    // A doc comment on the line above belongs to the node: no cut between them.
    if (above?.type?.includes('comment') && !text.slice(above.endIndex, child.startIndex).includes('\n\n')) continue;
    const lineStart = text.lastIndexOf('\n', child.startIndex - 1) + 1;
    if (!/^[ \t]*$/.test(text.slice(lineStart, child.startIndex))) continue;
    if (lineStart > start && lineStart < end && lineStart > (splits[splits.length - 1] ?? start)) splits.push(lineStart);
  }
  return splits;
}
