/**
 * Which endpoints a rest-hook may name (checkEndpoint), the parsing of channel headers, and the
 * signature scheme on its own: a fixed clock, tolerance, tampering, rotation.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { FhirError } from '../../../src/core/index.js';
import { checkEndpoint, parseChannelHeaders, signatureHeader, verifySignature } from '../../../src/subscriptions/channels/index.js';

const SELF = ['https://fhir.example.org', 'http://0.0.0.0:8080'];

describe('checkEndpoint', () => {
  const accepted = [
    'https://hooks.example.com/flint',
    'http://receiver.example.com:8080/x?y=1',
    'https://fhir.example.org:8443/elsewhere',
    'http://127.0.0.1:9000/hook',
    'http://localhost:3000/',
    'https://other.example.org/',
  ];
  for (const endpoint of accepted) {
    it(`accepts ${endpoint}`, () => assert.equal(checkEndpoint(endpoint, SELF).href, new URL(endpoint).href));
  }

  const refused: [string, RegExp][] = [
    ['ftp://files.example.com/hook', /only http: and https:/],
    ['file:///etc/passwd', /only http: and https:/],
    ['javascript:alert(1)', /only http: and https:/],
    ['https://user:pass@hooks.example.com/', /credentials/],
    ['https://user@hooks.example.com/', /credentials/],
    ['https://fhir.example.org/fhir/Patient', /this server/],
    ['https://FHIR.Example.ORG:443/', /this server/],
    ['https://fhir.example.org./', /this server/],
    ['http://fhir.example.org:443/', /this server/],
    ['http://localhost:8080/fhir', /this server/],
    ['http://127.0.0.1:8080/', /this server/],
    ['http://127.1.2.3:8080/', /this server/],
    ['http://2130706433:8080/', /this server/],
    ['http://[::1]:8080/', /this server/],
    ['http://[::ffff:127.0.0.1]:8080/', /this server/],
    ['http://0.0.0.0:8080/', /this server/],
    ['http://app.localhost:8080/', /this server/],
    ['https://localhost/', /this server/],
    ['not a url', /absolute URL/],
  ];
  for (const [endpoint, reason] of refused) {
    it(`refuses ${endpoint}`, () => {
      assert.throws(() => checkEndpoint(endpoint, SELF), (e: unknown) =>
        e instanceof FhirError && e.code === 'subscription.bad-endpoint' && e.category === 'invalid' && reason.test(e.message));
    });
  }

  it('reads a server origin given without a scheme as http:', () => {
    assert.throws(() => checkEndpoint('http://flint.internal:9090/x', ['flint.internal:9090']), (e: unknown) => e instanceof FhirError && /this server/.test(e.message));
    assert.equal(checkEndpoint('http://flint.internal:9091/x', ['flint.internal:9090']).port, '9091');
  });

  it('does not echo credentials in its message', () => {
    assert.throws(() => checkEndpoint('https://user:s3cret@hooks.example.com/', SELF), (e: unknown) => e instanceof FhirError && !e.message.includes('s3cret'));
  });
});

describe('channel headers', () => {
  it('reads "Name: value" strings, trimming, joining a repeated name', () => {
    assert.deepEqual(parseChannelHeaders(['Authorization: Bearer a:b', 'X-A: 1', 'x-a:2', 'X-Empty:']), { Authorization: 'Bearer a:b', 'X-A': '1, 2', 'X-Empty': '' });
  });

  it('refuses a line break in a value', () => {
    assert.throws(() => parseChannelHeaders(['X-A: 1\r\nX-B: 2']), (e: unknown) => e instanceof FhirError && e.code === 'subscription.bad-header');
  });
});

describe('X-Flint-Signature', () => {
  const secret = 'whsec-0123456789abcdef';
  const body = '{"resourceType":"Bundle"}';
  const header = signatureHeader(secret, body, 1_700_000_000);

  it('is t=<seconds>,v1=<HMAC-SHA256 of "t.body"> (a known value)', () => {
    assert.equal(header, 't=1700000000,v1=5ad0020eafc7d8ea0a567274f64ebe3e7d6a8dbc0680d68a1f84f1f27f07ac62');
    assert.equal(header.split('v1=')[1], hmacOf(secret, `1700000000.${body}`));
  });

  it('verifies within the tolerance, and not outside it', () => {
    assert.equal(verifySignature(secret, header, body, 300, 1_700_000_299), true);
    assert.equal(verifySignature(secret, header, body, 300, 1_699_999_701), true);
    assert.equal(verifySignature(secret, header, body, 300, 1_700_000_301), false);
  });

  it('fails on a tampered body, another secret, a changed timestamp or a malformed header', () => {
    const now = 1_700_000_000;
    assert.equal(verifySignature(secret, header, body + ' ', 300, now), false);
    assert.equal(verifySignature('whsec-another-secret', header, body, 300, now), false);
    assert.equal(verifySignature(secret, header.replace('t=1700000000', 't=1700000001'), body, 300, now), false);
    for (const bad of ['', 'v1=00', 't=abc,v1=00', `t=${now}`, `t=${now},v1=zz`]) assert.equal(verifySignature(secret, bad, body, 300, now), false, bad);
  });

  it('accepts one matching v1 among several (a secret being rotated)', () => {
    const other = signatureHeader('whsec-old-secret-000', body, 1_700_000_000).split(',')[1];
    assert.equal(verifySignature(secret, `${header},${other}`, body, 300, 1_700_000_000), true);
    assert.equal(verifySignature(secret, `t=1700000000,${other}`, body, 300, 1_700_000_000), false);
  });
});

function hmacOf(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}
