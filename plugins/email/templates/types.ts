export type TemplateName = 'welcome' | 'receipt' | 'promotion-enrolled' | 'promotion-checkout' | 'refund';

/** Values already formatted for the reader's language. */
export interface TemplateValues {
  name: string;
  courseTitle: string;
  amount: string;
  total: string;
  deadline: string;
}

export interface Template {
  subject(values: TemplateValues): string;
  /** Paragraphs of plain text; the HTML version wraps each in <p> after escaping. */
  body(values: TemplateValues): string[];
}

export type Catalogue = Record<TemplateName, Template>;
