import { KeysTableView } from './KeysTableView';
import { KvAnswer } from './KvAnswer';
import { KvForm } from './KvForm';
import { ReadAllTable } from './ReadAllTable';

export function KeysSection() {
  return (
    <section className="panel keys" aria-labelledby="keys-heading">
      <div className="panel__head">
        <h2 id="keys-heading">Keys</h2>
      </div>
      <KvForm />
      <KvAnswer />
      <ReadAllTable />
      <KeysTableView />
    </section>
  );
}
