/**
 * Whether the page is laid out for the printed brief (set by printBrief while the print dialogue is
 * open). Line charts are drawn lower then, so that two fit on an A4 page beside their key dates.
 */
export const printLayout = $state({ active: false });

/** The height of a line chart's plot on paper (on screen it is the chart's own, 320). */
export const PRINT_LINE_HEIGHT = 220;
