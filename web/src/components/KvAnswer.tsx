import { describeKvAnswer, versionToUse } from '../lib/kvAnswerWords';
import { formatDuration } from '../lib/format';
import { useApp } from '../stores/hooks';

type Props = {
  /** Fills "Only if version is" (and the key it is about): the next write is compare-and-set. */
  onUseVersion(key: string, version: number): void;
};

/** The answer to the last single-node request, in one sentence. Space is reserved so the form does not jump. */
export function KvAnswer({ onUseVersion }: Props) {
  const last = useApp((s) => s.keys.last);
  const status = last?.result.status ?? 200;
  // A 412 is the condition doing its job, not a failure: amber, not red.
  const tone = status >= 200 && status < 300 ? '' : status === 412 ? ' kv-answer--refused' : ' kv-answer--bad';
  const use = last ? versionToUse(last) : null;
  return (
    <div className={`kv-answer${tone}`}>
      <p className="kv-answer__text" role="status" aria-live="polite" aria-label="Last key request">
        {last ? (
          <>
            {describeKvAnswer(last)}
            <span className="muted"> · {formatDuration(last.latencyMs)}</span>
          </>
        ) : (
          <span className="muted">Write a key, then read it from a follower, kill the leader, and read again.</span>
        )}
      </p>
      {last && use !== null && (
        <button
          type="button"
          className="btn btn--small kv-answer__use"
          title={
            use === 0
              ? `Fill “Only if version is” with 0: the next Write creates ${last.key} only if it is still absent`
              : `Fill “Only if version is” with ${use}: the next Write or Delete applies only if nobody wrote ${last.key} in between`
          }
          onClick={() => onUseVersion(last.key, use)}
        >
          Use version {use}
        </button>
      )}
    </div>
  );
}
