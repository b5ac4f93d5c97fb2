import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './runtime/safe-compiler';
import { App } from './shell/App';
import './shell/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
