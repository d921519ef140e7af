import { endQuietlyOnClosedPipes } from './closed-pipe.js';
import { run } from './program.js';

endQuietlyOnClosedPipes();
process.exitCode = await run(process.argv.slice(2));
