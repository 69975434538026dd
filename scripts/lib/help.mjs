// `--help` of the scripts: the comment block at the top of a file is its usage.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the arguments ask for help (`-h`, `--help`). */
export function helpRequested(argv = process.argv.slice(2)) {
  return argv.includes('--help') || argv.includes('-h');
}

/** The leading `//` comment of a file (after a shebang), without the slashes. `file`: a path or a file: URL. */
export function headerComment(file) {
  const text = readFileSync(String(file).startsWith('file:') ? fileURLToPath(file) : file, 'utf8');
  const lines = [];
  for (const line of text.split('\n').slice(text.startsWith('#!') ? 1 : 0)) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
