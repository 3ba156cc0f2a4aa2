#!/usr/bin/env -S node --max-semi-space-size=4
// The `faultline` command. Faultline's sources are TypeScript run by Node.js 24's type stripping;
// npm scripts (npm start, npx faultline) use the Node.js 24 pinned in devDependencies.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `faultline: needs Node.js 24 or newer, this is ${process.version}; run it through npm (npm start, npx faultline ...), which uses the pinned Node.js 24\n`,
  );
  process.exit(1);
}
await import('../cli/main.ts');
