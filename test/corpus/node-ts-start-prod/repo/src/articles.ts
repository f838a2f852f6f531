export interface Article {
  slug: string;
  title: string;
}

const articles: Article[] = [{ slug: "hello", title: "Hello" }];

export function findArticle(slug: string): Article | undefined {
  return articles.find((a) => a.slug === slug);
}
