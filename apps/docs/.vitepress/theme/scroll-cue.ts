/**
 * Marks each horizontal scroll box with the sides where content is hidden (`data-more="left
 * right"`), so the CSS can draw a fade and a shadow there: a reader on a phone sees that a table,
 * an equation or a code block goes on, and the page itself never scrolls sideways.
 */
const BOXES: readonly { box: string; scroller: string }[] = [
  { box: '.vp-doc .scroll-x', scroller: ':scope > .scroll-x-inner' },
  { box: '.vp-doc div[class*="language-"]', scroller: ':scope > pre' },
];

function markBox(box: HTMLElement, scroller: HTMLElement): void {
  const hidden = scroller.scrollWidth - scroller.clientWidth;
  const sides: string[] = [];
  if (hidden > 1 && scroller.scrollLeft > 1) sides.push('left');
  if (hidden > 1 && scroller.scrollLeft < hidden - 1) sides.push('right');
  const value = sides.join(' ');
  if (box.dataset.more !== value) box.dataset.more = value;
}

function each(visit: (box: HTMLElement, scroller: HTMLElement) => void): void {
  for (const { box, scroller } of BOXES) {
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(box))) {
      const inner = element.querySelector<HTMLElement>(scroller);
      if (inner) visit(element, inner);
    }
  }
}

export function markScrollBoxes(): void {
  each(markBox);
}

/** Marks the boxes once the page has loaded, and again whenever the page, a box or the window changes. */
export function watchScrollBoxes(): void {
  let pending = false;
  const markSoon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      markScrollBoxes();
    });
  };
  // New pages (client-side navigation) and components that render tables later.
  new MutationObserver(markSoon).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  window.addEventListener('load', markSoon);
  window.addEventListener('resize', markSoon, { passive: true });
  document.addEventListener(
    'scroll',
    (event) => {
      const scroller = event.target;
      if (!(scroller instanceof HTMLElement) || !scroller.parentElement) return;
      each((box, inner) => {
        if (inner === scroller) markBox(box, inner);
      });
    },
    { capture: true, passive: true },
  );
}
