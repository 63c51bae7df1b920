import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startFeed } from './api/feed';
import { adoptTokenFromUrl } from './api/token';
import { readSavedTheme } from './components/ThemeSelect';
import { appStore } from './stores/store';
import { diagramBuffer, feedDiagram } from './lib/diagramFeed';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/cluster.css';
import './styles/panels.css';
import './styles/log.css';
import './styles/faults.css';
import './styles/workload.css';
import './styles/diagram.css';
import './styles/txn.css';
import './styles/lessons.css';

// First, before any request: the token (if the URL brings one) goes to storage, out of the address bar.
adoptTokenFromUrl();

const { actions } = appStore.getState();
actions.setTheme(readSavedTheme());
// Moving dots are decoration; people who asked for less motion get a still picture.
if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) actions.setAnimateMessages(false);

// ?debug exposes the store so tests and curious learners can inspect it from the console.
if (new URLSearchParams(location.search).has('debug')) Object.assign(window, { clusterlab: appStore, clusterlabDiagram: { buffer: diagramBuffer, feed: feedDiagram } });

startFeed();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
