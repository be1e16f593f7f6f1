import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import yargs from 'yargs';
import { skipHelpLayout } from '../../src/cli/help-layout.js';

describe('skipHelpLayout', () => {
  it("reaches the installed yargs' help keeper (an upgrade that moves it fails here, not in a slower run), and the help shown is still laid out", async () => {
    let ran = false;
    const cli = yargs(['run']).command('run', 'runs', (y) => y, () => void (ran = true));
    assert.equal(skipHelpLayout(cli), true);
    await cli.parseAsync();
    assert.equal(ran, true);
    assert.match(await cli.getHelp(), /runs/);
  });

  it('leaves an object without the keeper alone', () => {
    assert.equal(skipHelpLayout({} as never), false);
  });
});
