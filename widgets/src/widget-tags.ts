/**
 * The elements the loader knows, each with the bundle entry that defines it. Data only: the build
 * (Node) and the loader (browser) both read it.
 */
export const widgetEntries = {
  'osv-catalog': 'catalog',
  'osv-enroll': 'enroll',
  'osv-tutor': 'tutor',
} as const;

export type WidgetTag = keyof typeof widgetEntries;
export type WidgetEntry = (typeof widgetEntries)[WidgetTag];
