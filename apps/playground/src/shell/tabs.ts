import { h } from './dom.js';

export interface Tab {
  id: string;
  label: string;
  panel: HTMLElement;
  /** Called whenever the tab becomes visible. */
  onShow(): void;
}

/**
 * An ARIA tab list (WAI-ARIA Authoring Practices "Tabs with automatic activation"): the tabs are
 * buttons, one tab stop for the list, arrow keys, Home and End move between tabs.
 */
export function createTabs(tabs: readonly Tab[], label: string): { element: HTMLElement; show(id: string): void } {
  const list = h('div', { role: 'tablist', 'aria-label': label, class: 'tablist' });
  const buttons = tabs.map((tab) => {
    const button = h('button', { type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}` }, tab.label);
    tab.panel.id = `panel-${tab.id}`;
    tab.panel.setAttribute('role', 'tabpanel');
    tab.panel.setAttribute('aria-labelledby', button.id);
    tab.panel.tabIndex = 0;
    button.addEventListener('click', () => show(tab.id));
    list.append(button);
    return button;
  });

  list.addEventListener('keydown', (event) => {
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const next =
      event.key === 'ArrowRight' ? (current + 1) % buttons.length
      : event.key === 'ArrowLeft' ? (current - 1 + buttons.length) % buttons.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? buttons.length - 1
      : -1;
    if (next < 0) return;
    event.preventDefault();
    show(tabs[next]!.id);
    buttons[next]!.focus();
  });

  function show(id: string): void {
    tabs.forEach((tab, i) => {
      const selected = tab.id === id;
      buttons[i]!.setAttribute('aria-selected', String(selected));
      buttons[i]!.tabIndex = selected ? 0 : -1;
      tab.panel.hidden = !selected;
      if (selected) tab.onShow();
    });
    if (history.replaceState) history.replaceState(null, '', `#${id}`);
  }

  const element = h('div', { class: 'tabs' }, list, ...tabs.map((tab) => tab.panel));
  return { element, show };
}
