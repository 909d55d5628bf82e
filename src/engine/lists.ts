/**
 * Small lists of a world (a session's connections, a stream's subscribers): kept as arrays, not maps — they are short,
 * and a run creates and drops hundreds of thousands of them.
 */

/** Takes `item` out of `list` (where it is at most once), keeping the order of the rest (no array made, unlike splice). */
export function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i < 0) return;
  for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j]!;
  list.pop();
}
