/** Every `ovsim` command, in the order `--help` lists them. Add a command here with one line. */
import type { OvsimCommand } from '../command.js';
import { generateCommand } from './generate.js';
import { scenariosCommand } from './scenarios.js';

export const COMMANDS: readonly OvsimCommand[] = [generateCommand, scenariosCommand];
