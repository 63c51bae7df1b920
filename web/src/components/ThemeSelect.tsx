import { useEffect } from 'react';
import { useActions, useApp } from '../stores/hooks';
import type { Theme } from '../stores/uiSlice';

const STORAGE_KEY = 'clusterlab.theme';

export function readSavedTheme(): Theme {
  try {
    const t = localStorage.getItem(STORAGE_KEY);
    return t === 'light' || t === 'dark' ? t : 'system';
  } catch {
    return 'system';
  }
}

/** System follows prefers-color-scheme; the choice is remembered across visits. */
export function ThemeSelect() {
  const theme = useApp((s) => s.ui.theme);
  const { setTheme } = useActions();
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      if (theme === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, theme);
    } catch {
      // Private windows may refuse storage; the theme still applies for this visit.
    }
  }, [theme]);
  return (
    <label className="theme-select">
      <span className="visually-hidden">Theme</span>
      <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} aria-label="Theme">
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
