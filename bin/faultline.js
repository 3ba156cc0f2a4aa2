#!/usr/bin/env -S node --max-semi-space-size=4
// The `faultline` command. Faultline's sources are TypeScript; it runs their JavaScript build in
// dist/ (bin/build.js) when that is current, and the sources through Node.js 24's type stripping
// otherwise. npm scripts (npm start, npx faultline) use the Node.js 24 pinned in devDependencies.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `faultline: needs Node.js 24 or newer, this is ${process.version}; run it through npm (npm start, npx faultline ...), which uses the pinned Node.js 24\n`,
  );
  process.exit(1);
}
const { isBuildCurrent } = await import('./build.js');
await import(isBuildCurrent() ? '../dist/cli/main.js' : '../cli/main.ts');
