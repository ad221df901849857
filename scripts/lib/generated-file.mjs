// Writes a generated file, or with --check (tests) exits 1 when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';

export function writeGenerated(file, text, regenerateHint) {
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // no file yet: it is out of date
    }
    if (current !== text) {
      console.error(`${file} is out of date: run \`${regenerateHint}\`.`);
      process.exit(1);
    }
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
