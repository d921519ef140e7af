/** SentencePiece's byte fallback: the `<0xXX>` tokens of a vocabulary, for characters it does not have. */
export class ByteFallback {
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly encoder = new TextEncoder();

  constructor(pieceIds: ReadonlyMap<string, number>) {
    pieceIds.forEach((id, token) => {
      if (token.length !== 6 || !token.startsWith('<0x')) return;
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
      if (byte) this.byteIds[Number.parseInt(byte[1]!, 16)] = id;
    });
  }

  /** Ids of the <0xXX> tokens for the UTF-8 bytes of `text`, or null if one is missing. */
  tokens(text: string): number[] | null {
    const ids: number[] = [];
    for (const byte of this.encoder.encode(text)) {
      const id = this.byteIds[byte]!;
      if (id < 0) return null;
      ids.push(id);
    }
    return ids;
  }
}
