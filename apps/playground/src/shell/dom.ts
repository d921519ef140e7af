/** `h('button', { type: 'button' }, 'Go')`: a tiny element builder, so views read as markup. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A labelled form control: the label's `for` always matches, which screen readers rely on. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const wrapper = h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    wrapper.append(h('small', { id: hintId, class: 'hint' }, hint));
  }
  return wrapper;
}

export function select(id: string, options: readonly (readonly [value: string, label: string])[], selected?: string): HTMLSelectElement {
  const element = h('select', { id, name: id });
  for (const [value, label] of options) element.append(h('option', { value, selected: value === selected }, label));
  return element;
}

export function numberInput(id: string, value: number, min: number, max: number, step = 1): HTMLInputElement {
  return h('input', { id, name: id, type: 'number', value, min, max, step, inputmode: 'numeric' });
}

/** Reads a number input, clamped to its own min/max; falls back when the box is empty or invalid. */
export function readNumber(input: HTMLInputElement, fallback: number): number {
  const value = Number.parseInt(input.value, 10);
  if (!Number.isFinite(value)) return fallback;
  return Math.min(Number(input.max || Infinity), Math.max(Number(input.min || -Infinity), value));
}

/**
 * Reads a number input as typed, without clamping or rounding: a value the packages refuse (an
 * overlap at or over the limit, a fraction) must reach them and come back as their error, not be
 * quietly changed here. An empty box gives `fallback`.
 */
export function readNumberAsTyped(input: HTMLInputElement, fallback: number): number {
  const value = Number(input.value.trim());
  return input.value.trim() === '' || !Number.isFinite(value) ? fallback : value;
}

export const formatInt = (n: number): string => n.toLocaleString('en-US');

/** Runs `work` after the browser has painted a "working" state, so long computations show progress. */
export function afterPaint(work: () => void): void {
  requestAnimationFrame(() => setTimeout(work, 0));
}
