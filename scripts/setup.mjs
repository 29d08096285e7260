// `npm run setup`: installs the Debian packages voicelive uses (when apt is available), then `npm ci`.
// Safe to re-run. Without apt (macOS, other distros) it skips that step and says which features
// need which packages.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { debianPackages } from './debianPackages.mjs';

function run(cmd, args) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

const names = debianPackages.map((p) => p.name);
if (names.length === 0) {
  console.log('setup: no Debian packages needed.');
} else if (!existsSync('/usr/bin/apt-get')) {
  console.log('setup: apt-get not found; skipping Debian packages. Features that need them:');
  for (const p of debianPackages) console.log(`  ${p.name}: ${p.why}`);
} else {
  const missing = names.filter((n) => spawnSync('dpkg', ['-s', n], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) {
    console.log('setup: Debian packages already installed.');
  } else {
    const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
    const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
    if (!apt(['update']) || !apt(['install', '-y', '--no-install-recommends', ...missing])) {
      console.error(`setup: installing Debian packages failed: ${missing.join(' ')}`);
      process.exit(1);
    }
  }
}
if (!run('npm', ['ci'])) process.exit(1);
console.log('setup: done. Start the server with `npx voicelive serve`.');
