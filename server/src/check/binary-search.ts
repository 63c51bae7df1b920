/** How many of 0..n-1 satisfy `holds`, which holds for a prefix (and not after it): a binary search. */
export function countWhile(n: number, holds: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
