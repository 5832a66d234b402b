export const prerender = true;
// With 'never', /ru/ becomes ru.html, which static hosts do not serve at /ru/ (docs/deploy.md).
export const trailingSlash = 'always';
