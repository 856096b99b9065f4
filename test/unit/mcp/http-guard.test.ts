import { describe, expect, it } from 'vitest';
import {
  allowedHostsFor,
  cookieValue,
  hostAllowed,
  originAllowed,
  tokenMatches,
} from '../../../src/mcp/http-guard.js';

describe('tokenMatches', () => {
  it.each([
    ['secret-token', 'secret-token', true],
    ['secret-tokem', 'secret-token', false],
    ['secret', 'secret-token', false],
    ['', 'secret-token', false],
    [undefined, 'secret-token', false],
  ])('compares %s with the expected token', (presented, expected, result) => {
    expect(tokenMatches(presented, expected)).toBe(result);
  });
});

describe('cookieValue', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(cookieValue('a=1; oss_dify_token=x%2By; b=2', 'oss_dify_token')).toBe('x+y');
    expect(cookieValue('a=1', 'oss_dify_token')).toBeUndefined();
    expect(cookieValue(undefined, 'oss_dify_token')).toBeUndefined();
  });
});

describe('hostAllowed', () => {
  const loopback = allowedHostsFor('127.0.0.1', 8787);
  it.each([
    ['127.0.0.1:8787', true],
    ['localhost:8787', true],
    ['LOCALHOST:8787', true],
    ['[::1]:8787', true],
    ['127.0.0.1:9999', false],
    ['evil.example:8787', false],
    ['evil.example', false],
    [undefined, false],
  ])('on a loopback bind, Host %s is allowed: %s', (host, allowed) => {
    expect(hostAllowed(host, loopback, 8787)).toBe(allowed);
  });

  it('accepts extra names given with or without a port', () => {
    const hosts = allowedHostsFor('0.0.0.0', 8787, ['host.docker.internal', 'oss.lan:80']);
    expect(hostAllowed('host.docker.internal:8787', hosts, 8787)).toBe(true);
    expect(hostAllowed('oss.lan', hosts, 80)).toBe(true);
    expect(hostAllowed('other.lan:8787', hosts, 8787)).toBe(false);
  });

  it('accepts any Host on a wildcard bind without a list (the token still guards it)', () => {
    expect(hostAllowed('anything:1', allowedHostsFor('0.0.0.0', 8787), 8787)).toBe(true);
  });
});

describe('originAllowed', () => {
  const loopback = allowedHostsFor('127.0.0.1', 8787);
  it.each([
    [undefined, true],
    ['http://127.0.0.1:8787', true],
    ['http://localhost:8787', true],
    ['http://[::1]:8787', true],
    ['http://evil.example', false],
    ['http://localhost:3000', false],
    ['null', false],
    ['file://', false],
  ])('Origin %s is allowed: %s', (origin, allowed) => {
    expect(originAllowed(origin, loopback)).toBe(allowed);
  });
});
