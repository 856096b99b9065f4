// Tiny XML writing helpers for emulator responses; parsing request XML is left to fast-xml-parser.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for an element body with the predefined entities only (quotes stay literal, as in
 * OSS's `<ETag>"…"</ETag>`), and drops control characters XML 1.0 cannot carry.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) continue;
    out += ENTITIES[ch] ?? ch;
  }
  return out;
}

/** A value in an XML tree: text, a number/boolean, a nested element map, or a repeated element list. */
export type XmlValue = string | number | boolean | undefined | XmlElement | XmlElement[] | string[];
/** Ordered child elements; `undefined` values are omitted. */
export type XmlElement = { [name: string]: XmlValue };

function render(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => render(name, item)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([child, v]) => render(child, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Renders one root element with an XML declaration, as OSS does for every response body. */
export function toXml(root: string, body: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, body)}\n`;
}
