export interface Options {
  /** Joins the words (default "-"). */
  separator?: string;
}
export default function slugline(title: string, options?: Options): string;
