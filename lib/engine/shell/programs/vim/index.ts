/**
 * vi/vim, the full-screen editor (see vim.ts): the `Program` the `vim` command starts.
 *
 * @example
 * import { Vim } from "../programs/vim";
 */
export { Vim } from "./vim";
export type { VimOptions } from "./state";
