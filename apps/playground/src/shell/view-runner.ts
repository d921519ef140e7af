import { afterPaint, h } from './dom.js';

/**
 * Recomputes a view when its inputs change, but only while it is visible, and marks progress on
 * the panel (`data-status="busy" | "ready" | "error"`), which the end-to-end test waits on.
 * `work` gets `stale()`: true once a newer run has started, so a slow run never paints over it,
 * and `startedAt`, the `performance.now()` of the change (or showing) that asked for this run.
 */
export class ViewRunner {
  #dirty = true;
  #generation = 0;
  readonly #error = h('p', { class: 'error', role: 'alert', hidden: true });

  constructor(
    private readonly panel: HTMLElement,
    private readonly work: (stale: () => boolean, startedAt: number) => Promise<void> | void,
  ) {
    panel.dataset.status = 'idle';
    panel.prepend(this.#error);
  }

  /** Inputs changed: recompute now if visible, else on the next `show()`. */
  invalidate(): void {
    this.#dirty = true;
    if (!this.panel.hidden) this.#run();
  }

  show(): void {
    if (this.#dirty) this.#run();
  }

  #run(): void {
    this.#dirty = false;
    const generation = ++this.#generation;
    const stale = (): boolean => generation !== this.#generation;
    const startedAt = performance.now();
    this.panel.dataset.status = 'busy';
    this.panel.setAttribute('aria-busy', 'true');
    afterPaint(() => {
      if (stale()) return;
      Promise.resolve()
        .then(() => this.work(stale, startedAt))
        .then(
          () => {
            if (stale()) return;
            this.#error.hidden = true;
            this.panel.dataset.status = 'ready';
          },
          (error: unknown) => {
            if (stale()) return;
            this.#error.textContent = error instanceof Error ? error.message : String(error);
            this.#error.hidden = false;
            this.panel.dataset.status = 'error';
          },
        )
        .finally(() => {
          if (!stale()) this.panel.removeAttribute('aria-busy');
        });
    });
  }
}
