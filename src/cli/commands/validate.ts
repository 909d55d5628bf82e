import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { OvsimError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../package-root.js';
import { formatSummary, validateFiles } from '../../validate/index.js';
import { parseServerEvents } from '../../validate/server-events.js';
import { parseServerOption, withServerOption, type ServerKind } from '../options.js';
import { DEFAULT_MAX_LINE_BYTES, parseByteSize } from '../../validate/line-reader.js';
import { diagnosticWriter, OUTPUT_FORMATS, type OutputFormat } from '../../validate/output-formats.js';
import { defineCommand } from '../command.js';
import { OutputClosed } from '../../sinks/atomic-file.js';
import { EXIT, type CliIo } from '../io.js';

export interface ValidateOptions {
  readonly files: string[];
  /** The server whose stream it is: openvidu2 (default), openvidu3, openvidu3-v2compat, meet. */
  readonly server?: string | undefined;
  readonly openviduVersion?: string | undefined;
  readonly quiet?: boolean | undefined;
  /** OpenVidu's OPENVIDU_WEBHOOK_EVENTS form: `a,b` or `["a","b"]`; `all`. Default: inferred. */
  readonly events?: string | undefined;
  readonly maxLineSize?: string | undefined;
  readonly format?: OutputFormat | undefined;
  readonly json?: boolean | undefined;
}

/**
 * `ovsim validate <file>...`: the diagnostics on stdout (one `FILE:LINE: RULE: message` per problem, or the
 * chosen --format), a summary on stderr; exit 1 when an error was found.
 */
export async function runValidate(o: ValidateOptions, io: CliIo): Promise<number> {
  if (o.files.length === 0) throw new OvsimError('BAD_INPUT', 'name the files to check (- reads stdin)');
  const server = parseServerOption(o.server);
  const format = outputFormat(o);
  if (o.openviduVersion !== undefined && !isOpenVidu2(server)) {
    throw new OvsimError(
      'BAD_INPUT',
      `--openvidu-version applies to OpenVidu 2 field sets, not to --server ${server}`,
    );
  }
  const maxLineBytes = o.maxLineSize === undefined ? DEFAULT_MAX_LINE_BYTES : parseByteSize(o.maxLineSize);
  if (maxLineBytes === undefined) {
    throw new OvsimError(
      'BAD_INPUT',
      `--max-line-size "${o.maxLineSize ?? ''}" is not a size (e.g. 1MiB, 4MB, 65536)`,
    );
  }
  const events = o.events === undefined ? undefined : parseServerEvents(o.events, server);
  const writer = diagnosticWriter(format, io.stdout, packageVersion());
  let errorsSeen = 0;
  writer.begin();
  let result;
  try {
    result = await validateFiles(o.files, {
      server,
      ...(o.openviduVersion !== undefined ? { version: o.openviduVersion } : {}),
      ...(events !== undefined ? { events } : {}),
      maxLineBytes,
      onDiagnostic: (d) => {
        if (d.severity === 'error') errorsSeen++;
        if (o.quiet && d.severity !== 'error') return undefined;
        writer.diagnostic(d);
        // Millions of diagnostics to a slow reader wait for it instead of piling up in memory.
        return io.stdoutReady?.();
      },
    });
  } catch (e) {
    // The reader went away (`validate … | head`): stop reading; the verdict is what was found until then.
    if (e instanceof OutputClosed) return errorsSeen > 0 ? EXIT.FAILURE : EXIT.OK;
    throw e;
  }
  writer.end(result.summary, result.ok);
  io.stderr(`${formatSummary(result.summary)}\n`);
  return result.ok ? EXIT.OK : EXIT.FAILURE;
}

function isOpenVidu2(server: ServerKind): boolean {
  return server === 'openvidu2' || server === 'openvidu3-v2compat';
}

function outputFormat(o: ValidateOptions): OutputFormat {
  if (o.json === true && o.format !== undefined && o.format !== 'json') {
    throw new OvsimError('BAD_INPUT', `--json and --format ${o.format} disagree: choose one`);
  }
  return o.json === true ? 'json' : (o.format ?? 'text');
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}

export const validateCommand = defineCommand<ValidateOptions>({
  command: 'validate <files..>',
  describe:
    "check CDR or WebHook JSON Lines (OpenVidu 2, or OpenVidu 3's webhooks) against the server's format and lifecycle rules (exit 1 when inconsistent)",
  builder: (y: Argv) =>
    withServerOption(
      y,
      'openvidu2 (CDR or WebHook lines), openvidu3 (LiveKit webhook bodies), openvidu3-v2compat (the v2-compatibility module), meet (OpenVidu Meet bodies)',
    )
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'files to check, in order, as one log; - reads stdin',
      })
      .option('openvidu-version', {
        type: 'string',
        describe: 'OpenVidu 2 field set to expect (default: detected from the lines)',
      })
      .option('events', {
        type: 'string',
        describe:
          'event types the stream holds, as OPENVIDU_WEBHOOK_EVENTS (a,b or ["a","b"]; all), of the --server; checks needing others are skipped (default: the types present)',
      })
      .option('max-line-size', {
        type: 'string',
        describe: `longest line read; longer ones are reported and skipped (default: ${DEFAULT_MAX_LINE_BYTES / 1024 / 1024}MiB)`,
      })
      .option('format', {
        choices: OUTPUT_FORMATS,
        describe:
          'diagnostics as text (FILE:LINE: RULE: message), json, github (Actions annotations) or sarif [default: text]',
      })
      .option('json', { type: 'boolean', describe: 'same as --format json' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print errors only, not warnings' }),
  run: runValidate,
});
