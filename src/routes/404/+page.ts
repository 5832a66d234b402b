// Written as 404.html (ru/404.html, kk/404.html): the name static hosts look for (Cloudflare Pages
// takes the nearest one up the address's folders; Netlify and Vercel the top one).
export const trailingSlash = 'never';
