import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerSentEventParser, type ServerSentEvent } from './server-sent-events.js';

function parseAll(pieces: string[]): ServerSentEvent[] {
  const parser = new ServerSentEventParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

/** Serialises events the way a server would, with the given line ending. */
function serialise(events: ServerSentEvent[], eol: string): string {
  return events
    .map((event) => {
      const lines = [...(event.event === 'message' ? [] : [`event: ${event.event}`]), ...event.data.split('\n').map((line) => `data: ${line}`)];
      return lines.join(eol) + eol + eol;
    })
    .join('');
}

/** Cuts `text` at the given fractions of its length. */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => Math.floor(cut * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const point of points) {
    out.push(text.slice(from, point));
    from = point;
  }
  out.push(text.slice(from));
  return out;
}

const line = fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));
const event = fc.record({
  event: fc.constantFrom('message', 'update', 'error'),
  data: fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n')),
});

describe('ServerSentEventParser', () => {
  it('gives the same events however the stream is cut into pieces, for LF, CRLF and CR line ends', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), (events, eol, cuts) => {
        const text = serialise(events, eol);
        expect(parseAll(split(text, cuts))).toEqual(events);
      }),
    );
  });

  it('follows the spec on fields: one space stripped after the colon, comments and unknown fields ignored, id kept', () => {
    const events = parseAll([': keep-alive\n', 'id: 7\nretry: 10\nfoo: bar\ndata:no space\ndata:  two spaces\n\n', 'data\n\n']);
    expect(events).toEqual([
      { event: 'message', data: 'no space\n two spaces', id: '7' },
      { event: 'message', data: '', id: '7' },
    ]);
  });

  it('drops a byte-order mark at the start and dispatches a last event that lacks its blank line', () => {
    expect(parseAll(['\ufeffdata: a\n\ndata: b'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('dispatches nothing for blank lines alone', () => {
    expect(parseAll(['\n\n\r\n\r\r'])).toEqual([]);
  });
});
