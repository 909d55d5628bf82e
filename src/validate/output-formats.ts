/**
 * How `ovsim validate` prints its diagnostics: `text` (`FILE:LINE: RULE: message`, the contract), `json` (one
 * document with the diagnostics, the summary and the verdict), `github` (workflow commands, so GitHub Actions
 * shows each finding on its line) and `sarif` (SARIF 2.1.0, for code scanning and other CI viewers). Every form
 * is written as the diagnostics come, so memory stays flat however many there are.
 */
import { RULES, type Diagnostic, type RuleId } from './rules.js';
import type { StreamSummary } from './stream-validator.js';
import { formatDiagnostic } from './validate-files.js';

export const OUTPUT_FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Writes diagnostics in one format: {@link begin}, any number of {@link diagnostic}, then {@link end}. */
export interface DiagnosticWriter {
  begin(): void;
  diagnostic(d: Diagnostic): void;
  end(summary: StreamSummary, ok: boolean): void;
}

/** A writer of `format` that hands its text to `write`; `toolVersion` names ovsim's version in SARIF. */
export function diagnosticWriter(
  format: OutputFormat,
  write: (text: string) => void,
  toolVersion: string,
): DiagnosticWriter {
  switch (format) {
    case 'text':
      return { begin() {}, diagnostic: (d) => write(`${formatDiagnostic(d)}\n`), end() {} };
    case 'json':
      return jsonWriter(write);
    case 'github':
      return { begin() {}, diagnostic: (d) => write(githubCommand(d)), end() {} };
    case 'sarif':
      return sarifWriter(write, toolVersion);
  }
}

/** `{"diagnostics":[…],"summary":{…},"ok":…}`, one diagnostic per line. */
function jsonWriter(write: (text: string) => void): DiagnosticWriter {
  let count = 0;
  return {
    begin: () => write('{"diagnostics":['),
    diagnostic(d) {
      const { file, line, severity, rule, message } = d;
      write(`${count++ === 0 ? '\n' : ',\n'}${JSON.stringify({ file, line, severity, rule, message })}`);
    },
    end: (summary, ok) =>
      write(`${count === 0 ? '' : '\n'}],"summary":${JSON.stringify(summary)},"ok":${ok}}\n`),
  };
}

/**
 * `::error file=F,line=L,title=ovsim RULE::message` (GitHub's workflow command syntax: `%`, CR and LF escaped
 * everywhere, `:` and `,` too in properties). A finding about a whole file has no line.
 */
export function githubCommand(d: Diagnostic): string {
  const data = (s: string): string =>
    s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  const prop = (s: string): string => data(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
  const line = d.line > 0 ? `,line=${d.line}` : '';
  return `::${d.severity} file=${prop(d.file)}${line},title=${prop(`ovsim ${d.rule}`)}::${data(d.message)}\n`;
}

/** SARIF 2.1.0: one run of the `ovsim` driver, every rule described, one result per diagnostic. */
function sarifWriter(write: (text: string) => void, toolVersion: string): DiagnosticWriter {
  const ids = Object.keys(RULES) as RuleId[];
  let count = 0;
  return {
    begin() {
      const driver = {
        name: 'ovsim',
        version: toolVersion,
        rules: ids.map((id) => ({ id, shortDescription: { text: RULES[id] } })),
      };
      write(
        `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":${JSON.stringify(driver)}},"results":[`,
      );
    },
    diagnostic(d) {
      const region = d.line > 0 ? { region: { startLine: d.line } } : {};
      const result = {
        ruleId: d.rule,
        ruleIndex: ids.indexOf(d.rule),
        level: d.severity,
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(d.file) }, ...region } }],
      };
      write(`${count++ === 0 ? '\n' : ',\n'}${JSON.stringify(result)}`);
    },
    end: () => write(`${count === 0 ? '' : '\n'}]}]}\n`),
  };
}

/** A file name as a SARIF artifact URI: a relative reference with `/` separators, percent-encoded. */
function artifactUri(file: string): string {
  return encodeURI(file.replaceAll('\\', '/'));
}
