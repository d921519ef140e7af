/**
 * Document text is data, not instructions for the terminal: an ESC (C0) or CSI (C1) byte in a
 * passage would otherwise recolour, retitle or rewrite the user's terminal when `search` prints it.
 * These two functions are the only way document text reaches stdout or stderr.
 */

// C0 controls but tab and newline, DEL, and C1 controls (U+0080–U+009F; a terminal in UTF-8
// mode may act on U+009B as CSI). Carriage return is escaped too: it rewrites the current line.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

const visible = (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Text for a terminal or a pipe: every control character becomes its visible `\xHH` form; tab and
 * newline stay unless `keepLines` is false (one-line snippets and names).
 */
export function neutraliseControls(text: string, keepLines = true): string {
  return text.replace(keepLines ? CONTROLS_KEEP_LINES : CONTROLS_ALL, visible);
}

// JSON.stringify already writes C0 controls as escapes; DEL and C1 it leaves raw.
const RAW_IN_JSON = /[\u007f-\u009f]/g;

/**
 * JSON that stays exact (parses back to the same strings) but carries no raw control character:
 * DEL and C1 become `\u00XX` escapes, which are equally valid JSON for the same code unit.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
