import type { Argv } from 'yargs';
import { formatDiagnostic, formatSummary, validateFiles } from '../../validate/index.js';
import { defineCommand } from '../command.js';
import { EXIT, type CliIo } from '../io.js';

export interface ValidateOptions {
  readonly files: string[];
  readonly openviduVersion?: string | undefined;
  readonly quiet?: boolean | undefined;
}

/** `ovsim validate <file>...`: one `FILE:LINE: RULE: message` per problem on stdout, a summary on stderr. */
export async function runValidate(o: ValidateOptions, io: CliIo): Promise<number> {
  const result = await validateFiles(o.files, {
    ...(o.openviduVersion !== undefined ? { version: o.openviduVersion } : {}),
    onDiagnostic: (d) => {
      if (!o.quiet || d.severity === 'error') io.stdout(`${formatDiagnostic(d)}\n`);
    },
  });
  io.stderr(`${formatSummary(result.summary)}\n`);
  return result.ok ? EXIT.OK : EXIT.FAILURE;
}

export const validateCommand = defineCommand<ValidateOptions>({
  command: 'validate <files..>',
  describe: "check CDR or WebHook JSON Lines against OpenVidu's lifecycle rules (exit 1 when inconsistent)",
  builder: (y: Argv) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'files to check, in order; - reads stdin',
      })
      .option('openvidu-version', {
        type: 'string',
        describe: 'field set to expect (default: detected from the file)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'print errors only, not warnings' }),
  run: runValidate,
});
