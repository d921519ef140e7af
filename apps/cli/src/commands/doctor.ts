import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ChunkwiseError } from '@chunkwise/core';
import { recoverSqliteStore, verifySqliteStore, type SqliteStoreVerification } from '@chunkwise/retrieval/sqlite';
import { UsageError } from '../errors.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { isPostgresUrl } from '../store-target.js';

interface DoctorOptions {
  db: string;
  recover?: string;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check a SQLite index file (SQLite integrity, every record’s checksum, counts, the saved index) and say what can be recovered; exit 1 when it is damaged')
    .requiredOption('--db <path>', 'SQLite index file')
    .option('--recover <file>', 'copy the intact records into this new index file (it must not exist); the search index is rebuilt from them')
    .action(async (options: DoctorOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (isPostgresUrl(options.db)) throw new UsageError('doctor checks SQLite index files; Postgres has its own tools (amcheck, pg_dump).');
      if (!existsSync(options.db)) throw new ChunkwiseError('NOT_FOUND', `No index at ${options.db}.`);
      const report = verifySqliteStore(options.db);
      if (options.recover !== undefined) {
        const recovered = await recoverSqliteStore(options.db, options.recover);
        if (globals.json) {
          writeJson({ ...summary(report), recovered: { to: options.recover, ...recovered } });
          return;
        }
        print(describe(report));
        print(`recovered ${recovered.copied} records into ${options.recover}${recovered.lost.length ? `; lost: ${recovered.lost.slice(0, 10).join(', ')}${recovered.lost.length > 10 ? ', …' : ''}` : ''}\n`);
        return;
      }
      if (globals.json) writeJson(summary(report));
      else print(describe(report));
      if (!report.ok) {
        throw new ChunkwiseError('CORRUPT_DATA', `${options.db} is damaged; \`chunkwise doctor --db ${options.db} --recover <new file>\` copies the ${report.records} intact records into a new index.`);
      }
    });
}

/** The report without the full id list of intact records (it can be as long as the index). */
function summary(report: SqliteStoreVerification) {
  const { recoverable, ...rest } = report;
  return { ...rest, recoverable: recoverable.length };
}

function describe(report: SqliteStoreVerification): string {
  const lines = [`${report.path}: ${report.ok ? 'ok' : 'damaged'}`];
  const expected = report.expectedRecords === undefined ? '' : ` of ${report.expectedRecords}`;
  lines.push(`  records   ${report.records}${expected} intact, ${report.damaged.length} damaged, ${report.missing} missing`);
  lines.push(`  index     ${report.snapshot === 'current' ? 'saved and current' : report.snapshot === 'none' ? 'not saved (rebuilt at open)' : `${report.snapshot} (rebuilt from the records at open)`}`);
  for (const problem of report.problems) lines.push(`  problem   ${problem}`);
  if (!report.ok && report.records > 0) lines.push(`  recover   chunkwise doctor --db ${report.path} --recover <new file>  (copies the ${report.records} intact records)`);
  return lines.join('\n') + '\n';
}
