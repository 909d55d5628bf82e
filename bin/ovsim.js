#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, run by `npm ci` through `prepare`).
import { runMain } from '../dist/cli/main.js';

runMain(process.argv.slice(2));
