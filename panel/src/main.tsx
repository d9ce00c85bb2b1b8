/**
 * Entry. The page's Content-Security-Policy allows styles only with the
 * per-response nonce the server writes into <meta name="csp-nonce">: Emotion
 * (Material UI's styling) puts it on every <style> element it creates.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import createCache from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import { App } from './App';
import { sessionStore } from './api';
import { loginFirst } from './startup';
import './panel.css';

const start = loginFirst(window.location.hash, sessionStore.get() !== null);
if (start) window.history.replaceState(null, '', start);

const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
const cache = createCache({ key: 'ph', nonce: nonce && !nonce.startsWith('__') ? nonce : undefined, prepend: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CacheProvider value={cache}>
      <App />
    </CacheProvider>
  </StrictMode>,
);
