/**
 * Lesson components that arrive with later issues (the terminal, exercises, quiz and packet
 * diagram). They render nothing for now so that lessons using them still compile and render.
 */

export const Terminal: () => null = () => null;

export const Exercise: (props: { id: string }) => null = () => null;

export const Quiz: () => null = () => null;

export const Diagram: () => null = () => null;
