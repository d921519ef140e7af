import { readFile } from 'node:fs/promises';
import { ChunkwiseError } from '@chunkwise/core';

/** Reads a whole UTF-8 input: a file path, or `-` for standard input. */
export async function readInput(source: string): Promise<{ name: string; text: string }> {
  if (source === '-') {
    const pieces: Buffer[] = [];
    for await (const piece of process.stdin) pieces.push(piece as Buffer);
    return { name: 'stdin', text: decodeUtf8(Buffer.concat(pieces), 'standard input') };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new ChunkwiseError('NOT_FOUND', `Cannot read ${source}: ${reason}.`, { cause: error });
  }
  return { name: source, text: decodeUtf8(bytes, source) };
}

function decodeUtf8(bytes: Buffer, label: string): string {
  try {
    // fatal: a binary or Latin-1 file is reported, not silently filled with U+FFFD.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${label} is not valid UTF-8 text; convert it to UTF-8 first.`, { cause: error });
  }
}
