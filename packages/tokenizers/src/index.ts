export { Encoding } from './encoding.js';
export type { EncodedWithOffsets, EncodingDefinition, SpecialTokenOptions } from './encoding.js';
export { getEncoding, ENCODING_NAMES, isEncodingName } from './get-encoding.js';
export type { EncodingName } from './get-encoding.js';
export { encodingForModel } from './encoding-for-model.js';
export { countChat } from './count-chat.js';
export type { ChatMessage } from './count-chat.js';
export type { StreamingDecoder } from './streaming-decoder.js';
