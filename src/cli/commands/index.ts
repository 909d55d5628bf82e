/** Every `ovsim` command, in the order `--help` lists them. Add a command here with one line. */
import type { OvsimCommand } from '../command.js';
import { generateCommand } from './generate.js';
import { loadCommand } from './load.js';
import { receiveCommand } from './receive.js';
import { runCommand } from './run.js';
import { scenariosCommand } from './scenarios.js';
import { serveCommand } from './serve.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly OvsimCommand[] = [
  generateCommand,
  validateCommand,
  runCommand,
  loadCommand,
  receiveCommand,
  scenariosCommand,
  serveCommand,
];
