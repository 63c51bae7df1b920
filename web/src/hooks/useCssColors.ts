import { useEffect, useState } from 'react';
import { useApp } from '../stores/hooks';

/**
 * The theme's colours as a canvas can use them. A custom property holding light-dark() is not
 * resolved by getComputedStyle, so each is read back through a probe element's `color`. They
 * are read again when the learner picks a theme or the system switches between light and dark.
 */
export function useCssColors<K extends string>(vars: Record<K, string>): Record<K, string> | null {
  const theme = useApp((s) => s.ui.theme);
  const [systemDark, setSystemDark] = useState(() => window.matchMedia('(prefers-color-scheme: dark)').matches);
  const [colors, setColors] = useState<Record<K, string> | null>(null);
  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const on = () => setSystemDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const signature = JSON.stringify(vars);
  useEffect(() => {
    // After ThemeSelect's effect has set data-theme on <html> for this render.
    const probe = document.createElement('span');
    probe.style.display = 'none';
    document.body.append(probe);
    const out = {} as Record<K, string>;
    for (const [name, css] of Object.entries(vars) as [K, string][]) {
      probe.style.color = css;
      out[name] = getComputedStyle(probe).color;
    }
    probe.remove();
    setColors(out);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature, theme, systemDark]);
  return colors;
}
