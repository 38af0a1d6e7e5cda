#!/usr/bin/env node
// The `handoff` command: runs the TypeScript entry point in this process through tsx's CommonJS hook, so a
// clone works right after `npm ci` and signals reach the command directly.
'use strict';
require('tsx/cjs');
require('../src/cli.ts');
