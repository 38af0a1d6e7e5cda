#!/usr/bin/env node
// The `handoff` command: runs the TypeScript entry point through tsx so a clone works right after `npm ci`.
'use strict';
require('tsx/cjs');
require('../src/cli.ts');
