import { describe, expect, it } from 'vitest';
import { parseUrlList } from '../../../src/tools/url-list.js';

describe('parseUrlList', () => {
  it.each([
    ['https://a/1;https://a/2', ['https://a/1', 'https://a/2']],
    [' https://a/1 ; ; https://a/2 ;', ['https://a/1', 'https://a/2']],
    ['https://a/1\nhttps://a/2\r\n\n', ['https://a/1', 'https://a/2']],
    ['["https://a/1", "https://a/2", ""]', ['https://a/1', 'https://a/2']],
    ['https://a/x;jsessionid=42;https://a/2', ['https://a/x;jsessionid=42', 'https://a/2']],
    ['oss://b/k1;oss://b/k2', ['oss://b/k1', 'oss://b/k2']],
    ['', []],
  ])('splits %j (B15)', (input, expected) => {
    expect(parseUrlList(input).urls).toEqual(expected);
  });

  it('keeps duplicates once and counts them', () => {
    expect(parseUrlList(['https://a/1', ' https://a/1', 'https://a/2'])).toEqual({
      urls: ['https://a/1', 'https://a/2'],
      duplicates: 1,
    });
  });
});
