// A module-resolution hook (node --import) that appends every resolved URL to $WORDLOOM_TRACE_FILE,
// so a test can see which packages a command loads.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.WORDLOOM_TRACE_FILE)}, result.url + '\\n');
  return result;
}`)}`,
);
