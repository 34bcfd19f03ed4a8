// <medcode-input> in a React 19 app: React passes the attributes through and,
// for a custom element, a prop `on` + event name listens for that event, so
// `onmedcode-change` keeps the chosen code in React state. The element is a
// form control: the form submits the code under its name.
import { useState } from 'react';
import 'medcode/input';

export function DiagnosisField({ within, wasmUrl }) {
  const [code, setCode] = useState('');
  const [title, setTitle] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        window.submitted = Object.fromEntries(new FormData(event.currentTarget));
      }}
    >
      <label htmlFor="dx">Diabetes diagnosis</label>
      <medcode-input
        id="dx"
        name="dx"
        system="icd10cm"
        within={within}
        wasm-url={wasmUrl}
        required
        onmedcode-change={(event) => {
          setCode(event.detail.value);
          setTitle(event.detail.entry?.display ?? '');
        }}
      />
      <p>
        Chosen: <output id="chosen">{code}</output> <span id="title">{title}</span>
      </p>
      <button type="submit">Save</button>
    </form>
  );
}
