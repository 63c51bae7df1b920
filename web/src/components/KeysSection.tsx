import { useRef, useState } from 'react';
import { KeysTableView } from './KeysTableView';
import { KvAnswer } from './KvAnswer';
import { KvForm } from './KvForm';
import { ReadAllTable } from './ReadAllTable';

export function KeysSection() {
  // The key and its condition live here: the answer's "Use version N" fills them in the form.
  const [key, setKey] = useState('color');
  const [ifVersion, setIfVersion] = useState('');
  const valueInput = useRef<HTMLInputElement>(null);
  return (
    <section className="panel keys" aria-labelledby="keys-heading">
      <div className="panel__head">
        <h2 id="keys-heading">Keys</h2>
      </div>
      <KvForm keyName={key} onKeyName={setKey} ifVersion={ifVersion} onIfVersion={setIfVersion} valueInput={valueInput} />
      <KvAnswer
        onUseVersion={(k, version) => {
          setKey(k);
          setIfVersion(String(version));
          // Next comes the new value: read, then write only if nobody wrote in between.
          valueInput.current?.focus();
          valueInput.current?.select();
        }}
      />
      <ReadAllTable />
      <KeysTableView />
    </section>
  );
}
