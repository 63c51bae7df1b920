import type { NodeRole } from '@clusterlab/shared';

// Each role has its own glyph and word as well as its colour, so colour is never the only cue.
const GLYPH: Record<NodeRole, string> = { leader: '♛', follower: '●', candidate: '?', 'pre-candidate': '¿', unknown: '–' };
const WORD: Record<NodeRole, string> = {
  leader: 'leader',
  follower: 'follower',
  candidate: 'candidate',
  'pre-candidate': 'pre-candidate',
  unknown: 'no role',
};

export function RoleBadge({ role }: { role: NodeRole }) {
  return (
    <span className={`role role--${role}`}>
      <span className="role__glyph" aria-hidden="true">
        {GLYPH[role]}
      </span>
      {WORD[role]}
    </span>
  );
}
