import type { createRequire } from 'node:module';
import { ChunkwiseError, importOptionalPeer, type OptionalPeer } from '@chunkwise/core';
import type * as WebTreeSitter from 'web-tree-sitter';
import type { CodeParser } from './code-chunker.js';

/** Languages whose grammar ships in the `tree-sitter-wasms` package (`out/tree-sitter-<name>.wasm`). */
export const CODE_LANGUAGES = [
  'bash', 'c', 'c_sharp', 'cpp', 'css', 'dart', 'elisp', 'elixir', 'elm', 'embedded_template', 'go', 'html', 'java',
  'javascript', 'json', 'kotlin', 'lua', 'objc', 'ocaml', 'php', 'python', 'ql', 'rescript', 'ruby', 'rust', 'scala',
  'solidity', 'swift', 'systemrdl', 'tlaplus', 'toml', 'tsx', 'typescript', 'vue', 'yaml', 'zig',
] as const;

export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

const ALIASES: Record<string, CodeLanguage> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', js: 'javascript', jsx: 'javascript', mjs: 'javascript',
  cjs: 'javascript', py: 'python', pyi: 'python', 'c#': 'c_sharp', cs: 'c_sharp', csharp: 'c_sharp', 'c++': 'cpp',
  cc: 'cpp', cxx: 'cpp', hpp: 'cpp', h: 'c', sh: 'bash', shell: 'bash', rb: 'ruby', rs: 'rust', kt: 'kotlin',
  kts: 'kotlin', yml: 'yaml', ex: 'elixir', exs: 'elixir', ml: 'ocaml', sol: 'solidity', htm: 'html', el: 'elisp',
  m: 'objc', erb: 'embedded_template', ejs: 'embedded_template',
};

/** The grammar name for a language name, alias or file extension (`'ts'`, `'py'`, `'C#'`), or undefined. */
export function resolveCodeLanguage(name: string): CodeLanguage | undefined {
  if (typeof name !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `resolveCodeLanguage() takes a language name or file extension, got ${name === null ? 'null' : typeof name}.`);
  const key = name.toLowerCase().replace(/^\./u, '');
  if ((CODE_LANGUAGES as readonly string[]).includes(key)) return key as CodeLanguage;
  return ALIASES[key];
}

/** The grammar for a file name by its extension (`src/app.tsx` → `'tsx'`), or undefined. */
export function codeLanguageForFile(fileName: string): CodeLanguage | undefined {
  if (typeof fileName !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `codeLanguageForFile() takes a file name, got ${fileName === null ? 'null' : typeof fileName}.`);
  const match = /\.([^./\\]+)$/u.exec(fileName);
  return match ? resolveCodeLanguage(match[1] ?? '') : undefined;
}

/** A grammar: `.wasm` bytes (browsers: fetch them), or a path / file URL that web-tree-sitter reads in Node. */
export type GrammarSource = Uint8Array | string;

/**
 * The part of the `web-tree-sitter` module (0.25) the loader uses: pass `await import('web-tree-sitter')`
 * (or `import * as treeSitter from 'web-tree-sitter'`) where this package should not import it itself,
 * e.g. in a browser bundle.
 */
export interface TreeSitterModule {
  Parser: { init(): Promise<void>; new (): { setLanguage(language: never): CodeParser } };
  Language: { load(input: string | Uint8Array): Promise<unknown> };
}

// The specifier is a variable so bundlers do not try to resolve an optional peer that may be absent;
// Node resolves it at run time, next to this package.
const WEB_TREE_SITTER = 'web-tree-sitter';
/** The runtime behind syntax-aware chunking; pass `parser` or `treeSitter` to bring your own. */
const TREE_SITTER_PEER: OptionalPeer = { feature: 'Syntax-aware code chunking (CodeChunker, loadCodeParser)', packages: ['web-tree-sitter@0.25'] };
const initialized = new WeakMap<TreeSitterModule, Promise<TreeSitterModule>>();
let ownTreeSitter: Promise<TreeSitterModule> | undefined;
const defaultGrammars = new Map<CodeLanguage, Promise<unknown>>();

function initTreeSitter(module: TreeSitterModule): Promise<TreeSitterModule> {
  let ready = initialized.get(module);
  if (!ready) {
    ready = module.Parser.init().then(() => module);
    ready.catch(() => initialized.delete(module));
    initialized.set(module, ready);
  }
  return ready;
}

function loadTreeSitter(): Promise<TreeSitterModule> {
  ownTreeSitter ??= importOptionalPeer(TREE_SITTER_PEER, () => import(/* webpackIgnore: true */ /* @vite-ignore */ WEB_TREE_SITTER) as Promise<typeof WebTreeSitter>).then(
    (module) => initTreeSitter(module),
    (cause: unknown) => {
      ownTreeSitter = undefined;
      throw cause;
    },
  );
  return ownTreeSitter;
}

/** Where `tree-sitter-wasms` keeps `language`'s grammar, resolved from this package and then from the working directory (Node only). */
function defaultGrammarPath(language: CodeLanguage): string {
  const file = `tree-sitter-wasms/out/tree-sitter-${language}.wasm`;
  const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; cwd(): string } }).process;
  const builtin = nodeProcess?.getBuiltinModule?.('node:module') as { createRequire: typeof createRequire } | undefined;
  if (!builtin) {
    throw new ChunkwiseError('UNSUPPORTED', `No file system here to find the ${language} grammar: pass its .wasm bytes as \`grammar\`.`, {
      details: { language },
    });
  }
  for (const base of [import.meta.url, `${nodeProcess!.cwd()}/`]) {
    try {
      return builtin.createRequire(base).resolve(file);
    } catch {
      // Try the next base.
    }
  }
  throw new ChunkwiseError(
    'UNSUPPORTED',
    `The ${language} grammar comes from the optional peer dependency tree-sitter-wasms: npm install tree-sitter-wasms@0.1 (or pass the .wasm as \`grammar\`).`,
    { details: { language, file, install: 'npm install tree-sitter-wasms@0.1' } },
  );
}

/**
 * A tree-sitter parser for `language`, ready for `CodeChunker({ parser })`. The grammar is the
 * given bytes or path, or by default `tree-sitter-wasms`' file (Node). Grammars found by default
 * are loaded once per process. `web-tree-sitter` is imported at run time unless you pass it.
 */
export async function loadCodeParser(language: CodeLanguage, grammar?: GrammarSource, treeSitter?: TreeSitterModule): Promise<CodeParser> {
  if (typeof language !== 'string' || !(CODE_LANGUAGES as readonly string[]).includes(language)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `loadCodeParser() takes one of CODE_LANGUAGES (resolveCodeLanguage turns 'ts' or 'py' into one), got ${typeof language === 'string' ? JSON.stringify(language) : typeof language}.`);
  }
  if (grammar !== undefined && typeof grammar !== 'string' && !(grammar instanceof Uint8Array)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'grammar must be the .wasm bytes (Uint8Array) or a path.');
  }
  if (treeSitter !== undefined && typeof (treeSitter as { Parser?: { init?: unknown } } | null)?.Parser?.init !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'treeSitter must be the web-tree-sitter module.');
  }
  const { Parser, Language } = await (treeSitter ? initTreeSitter(treeSitter) : loadTreeSitter());
  let loaded: Promise<unknown> | undefined = grammar === undefined ? defaultGrammars.get(language) : undefined;
  if (!loaded) {
    const source = grammar ?? defaultGrammarPath(language);
    loaded = Language.load(source).catch((cause: unknown) => {
      if (grammar === undefined) defaultGrammars.delete(language);
      throw new ChunkwiseError('INVALID_ARGUMENT', `Could not load the ${language} grammar: ${cause instanceof Error ? cause.message : String(cause)}`, {
        cause,
        details: { language, ...(typeof source === 'string' ? { grammar: source } : {}) },
      });
    });
    if (grammar === undefined) defaultGrammars.set(language, loaded);
  }
  return new Parser().setLanguage((await loaded) as never);
}
