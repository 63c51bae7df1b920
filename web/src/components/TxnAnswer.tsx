import { useId } from 'react';
import { formatDuration } from '../lib/format';
import { answerWhere, branchHeadline, describeResult, txnErrorSentence } from '../lib/txnForm';
import { useApp } from '../stores/hooks';

/** What the last transaction did: the branch that ran, where, and each op's result. Its room is kept, so nothing below moves. */
export function TxnAnswer() {
  const run = useApp((s) => s.keys.txn);
  const pending = useApp((s) => s.keys.txnPending);
  const captionId = useId();
  const answer = run?.answer ?? null;
  const sentOps = run && answer ? run.sent[answer.succeeded ? 'success' : 'failure'] : [];
  const tone = !run ? '' : answer ? (answer.succeeded ? ' txn-answer--success' : ' txn-answer--failure') : ' txn-answer--bad';
  return (
    <div className={`txn-answer${tone}${pending ? ' txn-answer--pending' : ''}`}>
      <p className="txn-answer__status" role="status" aria-live="polite" aria-label="Transaction answer">
        {!run ? (
          <span className="muted">Run the transaction: which branch ran, its log index and what each op gave show here.</span>
        ) : answer ? (
          <>
            <strong className="txn-answer__headline">
              <span aria-hidden="true">{answer.succeeded ? '✓ ' : '↷ '}</span>
              {branchHeadline(answer, run.sent.compare.length)}
            </strong>
            <span className="txn-answer__where">
              {answerWhere(answer)} <span className="muted">· {formatDuration(run.latencyMs)}</span>
            </span>
          </>
        ) : (
          run.error && <span className="txn-answer__error">{txnErrorSentence(run.error.status, run.error.reason)}</span>
        )}
      </p>
      {answer &&
        (answer.results.length === 0 ? (
          <p className="txn__none">The {answer.succeeded ? 'success' : 'failure'} branch had no ops.</p>
        ) : (
          <table className="data-table data-table--compact txn-answer__table" aria-labelledby={captionId}>
            <caption id={captionId}>Results of the {answer.succeeded ? 'success' : 'failure'} branch</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Op</th>
                <th scope="col">Key</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {answer.results.map((r, i) => {
                const row = describeResult(r, sentOps[i]);
                return (
                  <tr key={i}>
                    <td className="num">{i + 1}</td>
                    <td>{row.op}</td>
                    <td className="mono">{row.key}</td>
                    <td className="mono">{row.result}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
    </div>
  );
}
