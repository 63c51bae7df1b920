export type LessonControl = {
  key: string;
  label: string;
  /** Its accessible name, when the label alone would not say which lesson it acts on. */
  name: string;
  primary?: boolean;
  /** It starts a fresh cluster: described by the sentence that says so. */
  resets?: boolean;
  /** Whether it does anything now. */
  on: boolean;
  act: () => Promise<void> | void;
};

/**
 * A lesson's buttons, always all there, in the same places: one that cannot act now says so
 * (aria-disabled) but keeps the keyboard's focus, so pressing Next step again and again works
 * while each step plays, and the row never reflows as a run goes.
 */
export function LessonControls({ controls, off, describedBy }: { controls: readonly LessonControl[]; off: boolean; describedBy: string }) {
  return (
    // Time travel shows the past: every action on the live cluster is off, as a group.
    <fieldset className="acts" disabled={off}>
      <legend className="visually-hidden">Play the lesson</legend>
      {controls.map((c) => (
        <button
          key={c.key}
          type="button"
          className={`btn${c.primary ? ' btn--primary' : ''}`}
          aria-label={c.name}
          aria-describedby={c.resets ? describedBy : undefined}
          aria-disabled={!c.on}
          onClick={() => {
            if (c.on) void c.act();
          }}
        >
          {c.label}
        </button>
      ))}
    </fieldset>
  );
}
