/** Prints one line of what a fault test or benchmark did, so the CI log tells the story. */
export function say(line: string): void {
  console.log(`  [faults] ${line}`);
}
