import { useEffect, useState } from 'react';

/** Hash routes: "#/tables" or "#/transcripts/12?at=340". Survives reloads; no history API needed. */
export interface Location {
  section: string;
  rest: string[];
  params: URLSearchParams;
}

function parse(hash: string): Location {
  const [pathPart = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [section = 'data', ...rest] = pathPart.split('/').filter(Boolean);
  return { section, rest, params: new URLSearchParams(query) };
}

export function navigate(path: string): void {
  window.location.hash = `#/${path.replace(/^\/+/, '')}`;
}

export function useLocation(): Location {
  const [location, setLocation] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setLocation(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}
