import type { Command } from 'commander';
import { migrateStore, type MigrateStoreResult } from '@chunkwise/retrieval';
import { withInterrupts } from '../interrupt.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';
import { openStoreTarget } from '../store-target.js';

interface MigrateOptions {
  from: string;
  db: string;
  table?: string;
  fromTable?: string;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('copy an index into another, empty store (SQLite file → Postgres, or another file) and check that counts and BM25 top-10 agree')
    .requiredOption('--from <path|url>', 'the index to copy: a SQLite file (or postgres://…)')
    .requiredOption('--db <path|url>', 'the empty target: postgres://user:pass@host/db or a new SQLite file')
    .option('--table <name>', 'table of a postgres:// target (default chunkwise_records)')
    .option('--from-table <name>', 'table of a postgres:// source (default chunkwise_records)')
    .action(async (options: MigrateOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const ui = new ProgressUI({ quiet: globals.quiet === true || globals.json === true });
      let result: MigrateStoreResult = { records: 0, queries: 0 };
      const labels = { from: options.from, to: options.db };
      await withInterrupts(async (signal) => {
        const from = await openStoreTarget(options.from, { create: false, ...(options.fromTable === undefined ? {} : { table: options.fromTable }) });
        try {
          const to = await openStoreTarget(options.db, { create: true, ...(options.table === undefined ? {} : { table: options.table }) });
          labels.from = from.label;
          labels.to = to.label;
          try {
            result = await migrateStore(from.store, to.store, { signal, onProgress: ui.onProgress });
          } finally {
            await to.close();
          }
        } finally {
          ui.stop();
          await from.close();
        }
      });
      if (globals.json) {
        writeJson({ from: labels.from, db: labels.to, ...result });
        return;
      }
      print(`${labels.to}: ${result.records} records copied from ${labels.from}; counts and BM25 top-10 agree on ${result.queries} queries\n`);
    });
}
