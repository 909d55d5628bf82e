/**
 * Values of an action that the OpenVidu version simulated did not have yet (an output mode added in a later 2.x).
 * A scenario's steps are checked before the run starts, each at its field, since the version is only known once the
 * command line's `--openvidu-version` is applied over the file's `openvidu.version`; the control API checks each
 * action it is given.
 */
import { ScenarioError, type ScenarioProblem } from '../errors.js';
import { hasOutputMode, OUTPUT_MODE_SINCE, type OutputMode } from '../model/wire-values.js';
import { versionText } from '../model/version.js';
import { locateField } from './parse-scenario.js';
import type { Scenario } from './scenario.js';
import type { Action } from '../model/commands.js';

/** What OpenVidu 2.`minor` does not have in the action: the field (below the action's arguments) and why. */
export function versionProblem(
  action: Action,
  minor: number,
): { field: string; message: string } | undefined {
  const found = outputModeOf(action);
  if (found === undefined || hasOutputMode(found.mode, minor)) return undefined;
  const since = versionText(OUTPUT_MODE_SINCE[found.mode] ?? minor);
  const message =
    `outputMode ${found.mode} arrived in OpenVidu ${since}; OpenVidu ${versionText(minor)} does not have it ` +
    `(use COMPOSED, or run as ${since} or later)`;
  return { field: found.field, message };
}

/**
 * @throws ScenarioError listing every step value OpenVidu 2.`minor` does not know, located at its field
 */
export function checkVersionedValues(scenario: Scenario, minor: number): void {
  const problems: ScenarioProblem[] = [];
  for (const step of scenario.steps) {
    const problem = versionProblem(step.action, minor);
    if (problem === undefined) continue;
    const path = `steps[${step.index}].${step.action.type}.${problem.field}`;
    problems.push({ location: locateField(scenario, path) ?? step.location, path, message: problem.message });
  }
  if (problems.length > 0) throw new ScenarioError(problems);
}

/** The output mode an action asks for, and the field that names it. */
function outputModeOf(action: Action): { mode: OutputMode; field: string } | undefined {
  if (action.type === 'startRecording' && action.args.outputMode !== undefined)
    return { mode: action.args.outputMode, field: 'outputMode' };
  if (action.type === 'createSession' && action.args.defaultRecording?.outputMode !== undefined)
    return { mode: action.args.defaultRecording.outputMode, field: 'defaultRecording.outputMode' };
  return undefined;
}
