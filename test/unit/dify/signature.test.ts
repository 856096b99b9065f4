import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  publicKeyPkcs1Pem,
  signatureComment,
  VERIFICATION_FILE,
  verificationBytes,
  verifySignatureComment,
} from '../../../src/dify/signature.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const ENTRIES = [Buffer.from('manifest'), Buffer.from(''), verificationBytes()];

describe('signatureComment', () => {
  it('signs sha256(entry) for each entry in order, then the decimal time, with RSA PKCS#1 v1.5 SHA-256', () => {
    // The message as dify-plugin-daemon's sign_with_key.go builds it, rebuilt here by hand.
    const comment = JSON.parse(signatureComment(ENTRIES, PRIVATE_PEM, 1_735_689_600));
    expect(Object.keys(comment)).toEqual(['signature', 'time']);
    expect(comment.time).toBe(1_735_689_600);
    const message = Buffer.concat([
      ...ENTRIES.map((entry) => createHash('sha256').update(entry).digest()),
      Buffer.from('1735689600'),
    ]);
    expect(verify('sha256', message, publicKey, Buffer.from(comment.signature, 'base64'))).toBe(true);
  });

  it('throws INVALID_ARGUMENT for text that is not a PEM key', () => {
    expect(() => signatureComment(ENTRIES, 'not a key')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('verifySignatureComment', () => {
  const publicPem = publicKeyPkcs1Pem(PRIVATE_PEM);

  it('accepts the signature of the same entries', () => {
    expect(verifySignatureComment(ENTRIES, signatureComment(ENTRIES, PRIVATE_PEM), publicPem)).toBe(true);
  });

  it('rejects reordered entries, a changed time and a comment that is not JSON', () => {
    const comment = signatureComment(ENTRIES, PRIVATE_PEM, 100);
    expect(verifySignatureComment([...ENTRIES].reverse(), comment, publicPem)).toBe(false);
    expect(verifySignatureComment(ENTRIES, comment.replace('"time":100', '"time":101'), publicPem)).toBe(
      false,
    );
    expect(verifySignatureComment(ENTRIES, 'unsigned', publicPem)).toBe(false);
  });
});

describe('verificationBytes', () => {
  it('writes the compact JSON the daemon marshals into .verification.dify.json', () => {
    expect(VERIFICATION_FILE).toBe('.verification.dify.json');
    expect(verificationBytes('partner').toString()).toBe('{"authorized_category":"partner"}');
  });
});

describe('publicKeyPkcs1Pem', () => {
  it('exports the PKCS#1 RSA PUBLIC KEY block the daemon loads', () => {
    expect(publicKeyPkcs1Pem(PRIVATE_PEM)).toMatch(/^-----BEGIN RSA PUBLIC KEY-----\n/);
  });
});
