import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './shell/App';
import { startI18n, useTranslation } from './i18n';
import { ToastProvider } from './ui/toast';
import './styles.css';

startI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    // Local data: no retries against a core that answered with a real error, no refetch on focus.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
  },
});

/** A language switch remounts the app (the hash route keeps the page), so every text is redrawn. */
function LanguageRoot() {
  const { i18n } = useTranslation();
  return <App key={i18n.language} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <LanguageRoot />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
