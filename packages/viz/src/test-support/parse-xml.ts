/** An element of a parsed XML document. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Decoded character data directly inside the element. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A strict little XML parser for tests: one root element, properly nested and closed tags, quoted unique
 * attributes, only the five predefined entities (or numeric ones), no stray `<` or `&`. Throws on anything else.
 */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`malformed XML at ${pos}: ${why}`);
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;]*);|&/g, (match, name: string | undefined) => {
      if (name === undefined) return fail('bare &');
      if (name in ENTITIES) return ENTITIES[name];
      if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
      if (/^#x[0-9a-f]+$/i.test(name)) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      return fail(`unknown entity ${match}`);
    });
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos])) pos++;
  };
  const name = (): string => {
    const m = /^[A-Za-z_:][\w.:-]*/.exec(source.slice(pos, pos + 200));
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const element = (): XmlElement => {
    if (source[pos] !== '<') fail('expected <');
    pos++;
    const el: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      const attr = name();
      skipSpace();
      if (source[pos] !== '=') fail('expected =');
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = source.slice(pos + 1, end);
      if (raw.includes('<')) fail('< in attribute');
      if (attr in el.attributes) fail(`duplicate attribute ${attr}`);
      el.attributes[attr] = decode(raw);
      pos = end + 1;
    }
    for (;;) {
      const lt = source.indexOf('<', pos);
      if (lt < 0) fail(`unclosed <${el.name}>`);
      el.text += decode(source.slice(pos, lt));
      pos = lt;
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        if (source[pos] !== '>') fail('expected >');
        pos++;
        return el;
      }
      el.children.push(element());
    }
  };
  skipSpace();
  if (source.startsWith('<?xml', pos)) pos = source.indexOf('?>', pos) + 2;
  skipSpace();
  const root = element();
  skipSpace();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** Every element of a tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}
