/**
 * Values of a scenario's steps that the OpenVidu version it runs as did not have yet (an output mode added in a later
 * 2.x): refused before the run starts, each at its field, since the version is only known once the command line's
 * `--openvidu-version` is applied over the file's `openvidu.version`.
 */
import { ScenarioError, type ScenarioProblem } from '../errors.js';
import { hasOutputMode, OUTPUT_MODE_SINCE, type OutputMode } from '../model/wire-values.js';
import { versionText } from '../model/version.js';
import { locateField } from './parse-scenario.js';
import type { Scenario, ScenarioStep } from './scenario.js';

/**
 * @throws ScenarioError listing every step value OpenVidu 2.`minor` does not know, located at its field
 */
export function checkVersionedValues(scenario: Scenario, minor: number): void {
  const problems: ScenarioProblem[] = [];
  for (const step of scenario.steps) {
    const found = outputModeOf(step);
    if (found === undefined || hasOutputMode(found.mode, minor)) continue;
    const path = `steps[${step.index}].${step.action.type}.${found.field}`;
    const since = versionText(OUTPUT_MODE_SINCE[found.mode] ?? minor);
    const message =
      `outputMode ${found.mode} arrived in OpenVidu ${since}; OpenVidu ${versionText(minor)} does not have it ` +
      `(use COMPOSED, or run as ${since} or later)`;
    problems.push({ location: locateField(scenario, path) ?? step.location, path, message });
  }
  if (problems.length > 0) throw new ScenarioError(problems);
}

/** The output mode a step asks for, and the field (below the action) that names it. */
function outputModeOf(step: ScenarioStep): { mode: OutputMode; field: string } | undefined {
  const { action } = step;
  if (action.type === 'startRecording' && action.args.outputMode !== undefined)
    return { mode: action.args.outputMode, field: 'outputMode' };
  if (action.type === 'createSession' && action.args.defaultRecording?.outputMode !== undefined)
    return { mode: action.args.defaultRecording.outputMode, field: 'defaultRecording.outputMode' };
  return undefined;
}
