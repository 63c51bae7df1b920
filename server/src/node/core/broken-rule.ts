/**
 * What an algorithm's checker throws when a step breaks one of its promises: the rule, named
 * as the paper names it, and what happened. The simulator reports it as a violated invariant.
 */
export class BrokenRule extends Error {
  constructor(
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`${rule}: ${detail}`);
    this.name = 'BrokenRule';
  }
}
