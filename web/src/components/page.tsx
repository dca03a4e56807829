// A page's title: the one h1, also the document title, focused after navigation so screen-reader
// users hear where they arrived.
import { useEffect, useRef, type ReactNode } from 'react';

export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — camaudit`;
  }, [title]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return <h1 className="utrecht-heading-1" tabIndex={-1} ref={ref}>{children}</h1>;
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="camaudit-section" aria-labelledby={id ? `${id}-title` : undefined}>
      <h2 className="utrecht-heading-2" id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}
