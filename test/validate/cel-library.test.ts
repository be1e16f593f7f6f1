import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { program } from '../../src/validate/cel/programs.js';

function run(expression: string, self: unknown = null): unknown {
  const compiled = program(expression);
  if ('skip' in compiled) throw new Error(`${expression}: ${compiled.skip}`);
  return compiled.run(self);
}

/** Expressions that must evaluate to true, by library. */
const TRUE: Record<string, string[]> = {
  lists: [
    '[1, 2, 2, 5].isSorted() && !["b", "a"].isSorted()',
    '[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0 && [].sum() == 0',
    '[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ["b", "a"].min() == "a"',
    '[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1',
    'self.indexOf({"name": "b"}) == 1',
  ],
  regex: [
    "'abc 123'.find('[0-9]+') == '123' && 'abc'.find('[0-9]+') == ''",
    "'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333'] && 'a1b22c333'.findAll('[0-9]+', 2) == ['1', '22']",
  ],
  strings: [
    "'héllo'.charAt(1) == 'é' && 'abc'.charAt(3) == ''",
    "'a-b-c'.replace('-', '_') == 'a_b_c' && 'a-b-c'.replace('-', '_', 1) == 'a_b-c'",
    "'abc'.reverse() == 'cba'",
  ],
  quantity: [
    "isQuantity('1.5Gi') && isQuantity('500m') && isQuantity('1e3') && !isQuantity('200K') && !isQuantity('Mi')",
    "quantity('200M').compareTo(quantity('0.2G')) == 0 && quantity('50M').compareTo(quantity('50Mi')) == -1",
    "quantity('150Mi').isGreaterThan(quantity('100Mi')) && quantity('50M').isLessThan(quantity('100M'))",
    "quantity('50k').add(quantity('20k')) == quantity('70k') && quantity('50k').sub(20000) == quantity('30k')",
    "quantity('50k').asInteger() == 50000 && quantity('1.5').asApproximateFloat() == 1.5 && !quantity('1.5').isInteger()",
    "quantity('-1').sign() == -1 && quantity('0').sign() == 0 && quantity('2Ki').mul(2) == quantity('4Ki')",
    'quantity(self).isLessThan(quantity("8Gi"))',
  ],
  ip: [
    "isIP('192.168.0.1') && isIP('fd00::1') && !isIP('192.168.0.01') && !isIP('::ffff:1.2.3.4') && !isIP('fe80::1%eth0')",
    "ip('10.0.0.1').family() == 4 && ip('::1').family() == 6 && ip('::1').isLoopback() && ip('0.0.0.0').isUnspecified()",
    "ip('169.254.1.1').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast() && ip('224.0.0.5').isLinkLocalMulticast()",
    "ip('10.1.2.3').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast() && !ip('127.0.0.1').isGlobalUnicast()",
    "ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8:0:0:0:0:0:1') && string(ip('2001:db8:0:0:1:0:0:1')) == '2001:db8::1:0:0:1'",
    "ip('10.0.0.1') == ip('10.0.0.1') && ip('10.0.0.1') != ip('10.0.0.2')",
  ],
  cidr: [
    "isCIDR('10.0.0.0/8') && isCIDR('fd00::/64') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0')",
    "cidr('192.168.0.0/24').containsIP('192.168.0.1') && !cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))",
    "cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24') && !cidr('192.168.1.0/24').containsCIDR(cidr('192.168.0.0/16'))",
    "cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24') && cidr('192.168.0.1/24') != cidr('192.168.0.1/24').masked()",
    "cidr('::1/128').prefixLength() == 128 && cidr('192.168.0.1/24').ip() == ip('192.168.0.1') && string(cidr('fd00::/64')) == 'fd00::/64'",
  ],
  url: [
    "isURL('https://example.com:8443/a/b?x=1&x=2') && isURL('/absolute/path') && !isURL('example.com') && !isURL('https://exa mple.com')",
    "url('https://example.com:8443/a%20b?x=1').getScheme() == 'https' && url('https://example.com:8443/a').getHost() == 'example.com:8443'",
    "url('https://[::1]:80/').getHostname() == '::1' && url('https://[::1]:80/').getPort() == '80' && url('https://example.com/').getPort() == ''",
    "url('https://example.com/a%20b').getEscapedPath() == '/a%20b' && url('https://x/?k=1&k=2&j=a+b').getQuery() == {'k': ['1', '2'], 'j': ['a b']}",
  ],
};

describe('Kubernetes CEL library', () => {
  for (const [library, expressions] of Object.entries(TRUE)) {
    it(library, () => {
      for (const e of expressions) assert.equal(run(e, library === 'quantity' ? '4Gi' : [{ name: 'a' }, { name: 'b' }]), true, e);
    });
  }

  it('errors where Kubernetes errors (the rule is then skipped, never a violation)', () => {
    for (const e of ["[].min() == 0", "quantity('Three').sign() == 1", "ip('1.2.3') == ip('1.2.3')", "cidr('10.0.0.0/40').prefixLength() == 40", "url('nope').getScheme() == ''", "quantity('1.5').asInteger() == 1"]) {
      assert.throws(() => run(e), Error, e);
    }
  });

  it('functions it does not have do not compile', () => {
    for (const e of ["semver('1.2.3').major() == 1", "format.dns1123Label().validate('a').hasValue()", 'self.frobnicate()']) {
      assert.ok('skip' in program(e), e);
    }
  });
});
