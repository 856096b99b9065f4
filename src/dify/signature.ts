// Signs a .difypkg in the plugin daemon's third-party format and checks such a signature (for tests and
// `oss-dify package --sign-key`). Format: dify-plugin-daemon pkg/plugin_packager/signer/withkey/sign_with_key.go
// and decoder/verifier.go, summarised in dify-protocol.md §7.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { AppError } from '../errors.js';

/** The entry a signed package carries last; its bytes are hashed like every other entry. */
export const VERIFICATION_FILE = '.verification.dify.json';

/** Who vouches for a package; the daemon knows `langgenius`, `partner` and `community`. */
export type AuthorizedCategory = 'langgenius' | 'partner' | 'community';

/** Bytes of `.verification.dify.json` as the daemon's Go JSON encoder writes them (compact, no newline). */
export function verificationBytes(category: AuthorizedCategory = 'community'): Buffer {
  return Buffer.from(JSON.stringify({ authorized_category: category }), 'utf8');
}

/** The signed message: sha256 of each entry's bytes in zip order, then the decimal Unix time. */
function signedData(entries: readonly Buffer[], timeSeconds: number): Buffer {
  const hashes = entries.map((data) => createHash('sha256').update(data).digest());
  return Buffer.concat([...hashes, Buffer.from(String(timeSeconds), 'ascii')]);
}

function rsaPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new AppError('INVALID_ARGUMENT', 'The signing key is not a readable PEM private key', {
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new AppError(
      'INVALID_ARGUMENT',
      'The signing key must be an RSA key (the daemon verifies RSA only)',
    );
  return key;
}

/**
 * The zip comment that signs `entries` (every entry's bytes in zip order, the verification file last):
 * `{"signature":"<base64 RSASSA-PKCS1-v1_5 SHA-256>","time":<unix seconds>}`.
 * @throws AppError INVALID_ARGUMENT when the key is not an RSA private key (PKCS#1 or PKCS#8 PEM).
 */
export function signatureComment(
  entries: readonly Buffer[],
  privateKeyPem: string,
  timeSeconds: number = Math.floor(Date.now() / 1000),
): string {
  const signature = sign('sha256', signedData(entries, timeSeconds), rsaPrivateKey(privateKeyPem));
  return JSON.stringify({ signature: signature.toString('base64'), time: timeSeconds });
}

/** True when `comment` is a valid signature of `entries` under `publicKeyPem`, as the daemon checks it. */
export function verifySignatureComment(
  entries: readonly Buffer[],
  comment: string,
  publicKeyPem: string,
): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const { signature, time } = parsed as { signature?: unknown; time?: unknown };
  if (typeof signature !== 'string' || typeof time !== 'number' || !Number.isInteger(time)) return false;
  return verify(
    'sha256',
    signedData(entries, time),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, 'base64'),
  );
}

/**
 * The public half of an RSA private key as PEM PKCS#1 (`RSA PUBLIC KEY`), the only form the daemon's
 * `THIRD_PARTY_SIGNATURE_VERIFICATION_PUBLIC_KEYS` files accept.
 * @throws AppError INVALID_ARGUMENT when the key is not an RSA private key.
 */
export function publicKeyPkcs1Pem(privateKeyPem: string): string {
  return createPublicKey(rsaPrivateKey(privateKeyPem)).export({ type: 'pkcs1', format: 'pem' }).toString();
}
