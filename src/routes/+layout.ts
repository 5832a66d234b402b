export const prerender = true;
// With 'never', /ru/ breaks on static servers (stack.md).
export const trailingSlash = 'always';
