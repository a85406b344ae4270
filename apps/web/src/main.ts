/** The app shell: a hash router over three pages; every page's state is in its deep link. */
import { ccsPage } from './pages/ccs';
import { coalitionPage } from './pages/coalition';
import { sweepPage } from './pages/sweep';
import './style.css';
import { parseHash } from './ui';

const PAGES: Readonly<Record<string, (root: HTMLElement, params: URLSearchParams) => void>> = {
  ccs: ccsPage,
  sweep: sweepPage,
  coalition: coalitionPage,
};

function route(): void {
  const { page, params } = parseHash(location.hash);
  const root = document.getElementById('app')!;
  const render = PAGES[page] ?? ccsPage;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    a.classList.toggle('current', a.dataset['page'] === page);
  }
  render(root, params);
}

window.addEventListener('hashchange', route);
route();
