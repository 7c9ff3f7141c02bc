/** Defines an element once, even when a page loads its chunk twice (loader and a direct import). */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
