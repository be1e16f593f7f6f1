import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BuildError } from '../src/errors.js';
import { safeFileName, writeFileAtomic, writeFileInside } from '../src/files.js';
import { listing, tempTree } from './support/files.js';

const refused = (pattern: RegExp) => (e: unknown) => e instanceof BuildError && pattern.test(e.message) && !e.message.includes('\n');

describe('safeFileName', () => {
  it('makes names from content one segment that cannot lead out of its folder', () => {
    assert.equal(safeFileName('v1_configmap_../../outside/x.yaml'), 'v1_configmap_.._.._outside_x.yaml');
    assert.equal(safeFileName('a\\b\u0000c\nd'), 'a_b_c_d');
    assert.equal(safeFileName('..'), '___');
    assert.equal(safeFileName('.'), '__');
    assert.equal(safeFileName(''), '_');
    assert.equal(safeFileName('Cluster.json'), 'Cluster.json');
  });
});

describe('writeFileInside', () => {
  it('writes below the folder, creating the folders between', () => {
    const dir = tempTree('inside');
    const file = writeFileInside(dir, ['group', 'v1', 'Kind.json'], '{}\n');
    assert.equal(file, path.join(dir, 'group/v1/Kind.json'));
    assert.deepEqual(listing(dir), ['group', 'group/v1', 'group/v1/Kind.json']);
  });

  it('keeps names from content inside the folder', () => {
    const parent = tempTree('inside');
    const dir = path.join(parent, 'a/b/out');
    writeFileInside(dir, ['..', '../../../escaped.yaml'], 'x\n');
    assert.deepEqual(listing(parent), ['a', 'a/b', 'a/b/out', 'a/b/out/___', 'a/b/out/___/.._.._.._escaped.yaml']);
  });

  it('refuses a folder on the way that is a symbolic link out of it, creating nothing outside', () => {
    const outside = tempTree('outside');
    const dir = tempTree('inside');
    fs.symlinkSync(outside, path.join(dir, 'group'));
    fs.symlinkSync(path.join(outside, 'missing'), path.join(dir, 'dangling'));
    assert.throws(() => writeFileInside(dir, ['group', 'v1', 'Kind.json'], '{}\n'), refused(/refusing to write through .*group: it leads out of/));
    assert.throws(() => writeFileInside(dir, ['dangling', 'Kind.json'], '{}\n'), refused(/refusing to write through .*dangling/));
    assert.deepEqual(listing(outside), []);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a regular file and leaves no temporary file', () => {
    const dir = tempTree('atomic', { 'a.yaml': 'old\n' });
    writeFileAtomic(path.join(dir, 'a.yaml'), 'new\n');
    assert.equal(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8'), 'new\n');
    assert.deepEqual(listing(dir), ['a.yaml']);
  });

  it('refuses to replace a symbolic link, a FIFO, a folder or a device, leaving each as it was', () => {
    const outside = tempTree('outside', { 'secret.yaml': 'secret\n' });
    const dir = tempTree('atomic');
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'link.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    fs.mkdirSync(path.join(dir, 'folder'));
    assert.throws(() => writeFileAtomic(path.join(dir, 'link.yaml'), 'x'), refused(/link\.yaml: it is a symbolic link, not a regular file/));
    assert.throws(() => writeFileAtomic(path.join(dir, 'fifo'), 'x'), refused(/fifo: it is a FIFO/));
    assert.throws(() => writeFileAtomic(path.join(dir, 'folder'), 'x'), refused(/folder: it is a folder/));
    assert.throws(() => writeFileAtomic('/dev/null', 'x'), refused(/\/dev\/null: it is a device/));
    assert.ok(fs.lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink());
    assert.ok(fs.lstatSync(path.join(dir, 'fifo')).isFIFO());
    assert.ok(fs.lstatSync('/dev/null').isCharacterDevice());
    assert.equal(fs.readFileSync(path.join(outside, 'secret.yaml'), 'utf8'), 'secret\n');
    assert.deepEqual(listing(dir), ['fifo', 'folder', 'link.yaml']);
  });

  it('never writes through a link sitting under its temporary name', () => {
    const outside = tempTree('outside', { 'secret.yaml': 'secret\n' });
    const dir = tempTree('atomic');
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, `.a.yaml.${process.pid}.tmp`));
    writeFileAtomic(path.join(dir, 'a.yaml'), 'new\n');
    assert.equal(fs.readFileSync(path.join(outside, 'secret.yaml'), 'utf8'), 'secret\n');
    assert.deepEqual(listing(dir), ['a.yaml']);
  });
});
