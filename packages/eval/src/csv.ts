import { ChunkwiseError } from '@chunkwise/core';

/** One parsed CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas, quotes or
 * line breaks, "" for a quote inside one; CRLF or LF line ends; blank lines skipped. An
 * unterminated quote is an error naming the line it opened on.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"' && field === '') {
      const opened = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new ChunkwiseError('INVALID_ARGUMENT', `CSV line ${opened}: a quoted field is never closed.`, { details: { line: opened } });
        const d = text[i] as string;
        if (d === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === '\n') line++;
        field += d;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new ChunkwiseError('INVALID_ARGUMENT', `CSV line ${line}: text after a closing quote; double a quote inside a quoted field ("").`, { details: { line } });
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** A CSV field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
