import type { HistogramBin } from './histogram.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Bars of chunk sizes with the token limit as a dashed line; each bar has a tooltip title. */
export function histogramSvg(bins: readonly HistogramBin[], limit: number, label: string): SVGSVGElement {
  const width = 640;
  const height = 150;
  const left = 36;
  const bottom = 22;
  const top = 18;
  const right = 8;
  const maxCount = Math.max(1, ...bins.map((bin) => bin.count));
  const domain = Math.max(limit + 1, bins.at(-1)?.to ?? 1);
  const x = (value: number): number => left + (value / domain) * (width - left - right);
  const y = (count: number): number => top + (1 - count / maxCount) * (height - top - bottom);

  const root = svg('svg', { viewBox: `0 0 ${String(width)} ${String(height)}`, class: 'histogram', role: 'img', 'aria-label': label });
  root.append(svg('title', {}, label));
  for (const bin of bins) {
    if (bin.count === 0) continue;
    const rect = svg('rect', { class: 'bar', x: x(bin.from) + 0.5, y: y(bin.count), width: Math.max(1, x(bin.to) - x(bin.from) - 1), height: y(0) - y(bin.count) });
    rect.append(svg('title', {}, `${String(bin.from)}–${String(bin.to - 1)} tokens: ${String(bin.count)} chunk${bin.count === 1 ? '' : 's'}`));
    root.append(rect);
  }
  root.append(svg('line', { class: 'limit', x1: x(limit), x2: x(limit), y1: top, y2: y(0) }));
  root.append(svg('text', { x: x(limit), y: top - 6, 'text-anchor': 'middle' }, `limit ${String(limit)}`));
  root.append(svg('line', { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: '#8a93a6' }));
  root.append(svg('text', { x: left, y: height - 6, 'text-anchor': 'start' }, '0'));
  root.append(svg('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, `${String(domain)} tokens`));
  root.append(svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, String(maxCount)));
  root.append(svg('text', { x: left - 4, y: y(0), 'text-anchor': 'end' }, '0'));
  return root;
}
