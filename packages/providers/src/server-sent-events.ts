/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field; `'message'` when the server named none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  id?: string;
}

/**
 * An incremental `text/event-stream` parser (WHATWG HTML §9.2.6): feed it decoded text in any
 * pieces, it returns the events completed so far. Lines may end in CRLF, LF or CR (a CR at the end
 * of one piece waits for the next, which may start with its LF).
 */
export class ServerSentEventParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private started = false;

  push(text: string): ServerSentEvent[] {
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
    }
    const out: ServerSentEvent[] = [];
    let from = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', from);
      const cr = this.buffer.indexOf('\r', from);
      let end: number;
      let next: number;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        // A lone CR at the very end may be the first half of CRLF: wait for the next piece.
        if (cr === this.buffer.length - 1) break;
        end = cr;
        next = this.buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf >= 0) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(this.buffer.slice(from, end), out);
      from = next;
    }
    this.buffer = this.buffer.slice(from);
    return out;
  }

  /**
   * Ends the stream. The spec discards an event not closed by a blank line; servers that omit the
   * last blank line are common, so a pending event with data is dispatched instead.
   */
  end(): ServerSentEvent[] {
    const out: ServerSentEvent[] = [];
    if (this.buffer.length > 0) this.line(this.buffer.endsWith('\r') ? this.buffer.slice(0, -1) : this.buffer, out);
    this.buffer = '';
    this.line('', out);
    return out;
  }

  private line(line: string, out: ServerSentEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        const event: ServerSentEvent = { event: this.event || 'message', data: this.data.join('\n') };
        if (this.id !== undefined) event.id = this.id;
        out.push(event);
      }
      this.data = [];
      this.event = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    // `retry` and unknown fields are ignored: the client does not reconnect.
  }
}
