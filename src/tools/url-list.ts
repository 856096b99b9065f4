// Splits the batch download input into URLs: a JSON array, or text separated by newlines or `;`.
// A `;` separates only where a new URL starts (or at the end), so `;` inside a URL survives (B15).

/** Result of {@link parseUrlList}: unique URLs in first-seen order, and how many duplicates were dropped. */
export interface UrlList {
  urls: string[];
  duplicates: number;
}

// `;` (or several) followed by optional spaces and then a scheme, or by the end of the text.
const SEPARATOR = /;+(?=\s*(?:[a-z][a-z0-9+.-]*:\/\/|$))/i;

/**
 * Parses `file_urls`: an array of strings, a JSON array in a string, or text with one URL per line or
 * `;`-separated. Items are trimmed, empties dropped, duplicates kept once.
 */
export function parseUrlList(input: unknown): UrlList {
  const raw = Array.isArray(input) ? input : typeof input === 'string' ? splitText(input) : [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const item of raw) {
    if (typeof item !== 'string') continue;
    const url = item.trim().replace(/[;\s]+$/, '');
    if (url === '') continue;
    if (seen.has(url)) duplicates += 1;
    else seen.add(url);
  }
  return { urls: [...seen], duplicates };
}

function splitText(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON after all: fall through to the text rules.
    }
  }
  return trimmed.split(/\r?\n/).flatMap((line) => line.split(SEPARATOR));
}
