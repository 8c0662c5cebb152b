/**
 * The units of the sign-in pages without a server: the failure limiter (with a clock of its own),
 * the scopes in plain words, HTML escaping and the page headers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignInLimiter } from '../../src/auth/index.js';
import { escapeHtml, pageHeaders } from '../../src/auth/html-page.js';
import { scopeWords } from '../../src/auth/scope-words.js';

describe('SignInLimiter', () => {
  it('allows 5 failures in 15 minutes, then tells how long to wait, and forgets failures that leave the window', () => {
    let now = 1_000_000;
    const limiter = new SignInLimiter({ maxFailures: 5, windowMs: 15 * 60_000 }, () => now);
    for (let failure = 1; failure <= 5; failure++) {
      assert.equal(limiter.retryAfter('Ann', '10.0.0.1'), 0);
      assert.equal(limiter.fail('Ann', '10.0.0.1'), failure);
      now += 60_000;
    }
    // The first failure was 5 minutes ago: it leaves the window in 10 minutes.
    assert.equal(limiter.retryAfter('ann', '10.0.0.2'), 600);
    assert.equal(limiter.retryAfter('bob', '10.0.0.1'), 600);
    assert.equal(limiter.retryAfter('bob', '10.0.0.2'), 0);
    now += 600_000;
    assert.equal(limiter.retryAfter('ann', '10.0.0.2'), 0);
  });

  it('clears the account on success, not the address', () => {
    const limiter = new SignInLimiter({ maxFailures: 2, windowMs: 1000 }, () => 0);
    limiter.fail('ann', '10.0.0.1');
    limiter.fail('ann', '10.0.0.1');
    limiter.succeed('ANN');
    assert.equal(limiter.retryAfter('ann', '10.0.0.9'), 0);
    assert.equal(limiter.retryAfter('other', '10.0.0.1'), 1);
  });
});

describe('scopes in plain words', () => {
  const cases: [string, string][] = [
    ['patient/Observation.rs', 'Read, search Observation records of the patient in context'],
    ['user/*.cruds', 'Create, read, update, delete, search all kinds of records that you may access'],
    ['patient/Observation.read', 'Read, search Observation records of the patient in context'],
    ['patient/Observation.rs?category=vital-signs', 'Read, search Observation records of the patient in context (only category vital-signs)'],
    ['offline_access', 'Keep access when you are not using it, until you revoke it'],
    ['not a scope', 'not a scope'],
  ];
  for (const [scope, words] of cases) {
    it(scope, () => assert.equal(scopeWords(scope), words));
  }
});

describe('HTML pages', () => {
  it('escapes the five characters of HTML', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('allows forms to post to this server and the redirect origin only, and no script', () => {
    const csp = pageHeaders('https://app.example.org/callback?x=1')['content-security-policy'];
    assert.match(csp, /form-action 'self' https:\/\/app\.example\.org;/);
    assert.doesNotMatch(csp, /script-src|unsafe-inline/);
    assert.match(pageHeaders('javascript:alert(1)')['content-security-policy'], /form-action 'self';/);
  });
});
