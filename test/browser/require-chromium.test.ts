/**
 * Without Debian's Chromium the browser suites fail, saying why: they never
 * skip (a skipped suite is a green run that tested nothing). `.ci/run`
 * installs Chromium and stops when it cannot.
 */
import { expect } from 'chai';
import { CHROMIUM, requireChromium } from '../support/browser';

describe('browser suites without Chromium', () => {
  it('fail, naming what is missing and how to install it', () => {
    expect(() => requireChromium('the panel browser test', '/nonexistent/chromium'))
      .to.throw(Error, '/nonexistent/chromium is not installed (apt-get install chromium): the panel browser test needs Debian\'s Chromium');
  });

  it('run where Chromium is installed', () => {
    expect(() => requireChromium('the panel browser test')).not.to.throw();
    expect(CHROMIUM).to.equal('/usr/bin/chromium');
  });
});
