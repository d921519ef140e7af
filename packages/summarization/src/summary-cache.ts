/**
 * Any sync or async key-value store (a Map wrapper, a file, Redis). Keys are SHA-256 hex strings
 * (core's `hashKey` of method, model and prompt); values are finished summaries, stored as strings.
 * A value that is not a string reads as a miss.
 */
export interface SummaryCache {
  get(key: string): unknown;
  set(key: string, value: string): unknown;
}
