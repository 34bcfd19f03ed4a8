// The example app: one DiagnosisField kept to E08-E13 (diabetes).
import { createRoot } from 'react-dom/client';
import { DiagnosisField } from './DiagnosisField.jsx';

const wasmUrl = new URL('/pkg/icd10cm_bg.wasm', location.href).href;
createRoot(document.getElementById('app')).render(<DiagnosisField within="E08-E13" wasmUrl={wasmUrl} />);
