import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TextFieldForm, type TextFieldFormProps } from "@/app/dashboard/TextFieldForm";

/** The form as the page first renders it (the field empty). */
function render(props: Partial<TextFieldFormProps> = {}, children?: string): string {
  const base: TextFieldFormProps = {
    label: "Join code",
    name: "code",
    className: "form",
    inputClassName: "input",
    inputProps: { placeholder: "ABCD-2345", maxLength: 20, autoComplete: "off" },
    submitLabel: "Join",
    pendingLabel: "Joining…",
    pending: false,
    error: null,
    onSubmit: async () => true,
  };
  return renderToStaticMarkup(createElement(TextFieldForm, { ...base, ...props }, children));
}

describe("<TextFieldForm/>", () => {
  it("labels its one required field and passes the caller's input attributes through", () => {
    const html = render();
    const id = /<label for="([^"]+)"[^>]*>Join code<\/label>/.exec(html)?.[1];
    expect(id).toBeTruthy();
    const input = /<input [^>]*>/.exec(html)![0];
    expect(input).toContain(`id="${id}"`);
    expect(input).toContain('name="code"');
    expect(input).toContain('class="input"');
    expect(input).toContain('placeholder="ABCD-2345"');
    expect(input).toContain('maxLength="20"');
    expect(input).toContain('autoComplete="off"');
    expect(input).toContain("required");
    expect(html).toMatch(/^<form class="form" noValidate="">/);
  });

  it("disables the button while the field is empty and words it for a running request", () => {
    expect(render()).toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Join<\/button>/);
    expect(render({ pending: true })).toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Joining…<\/button>/);
  });

  it("shows the server's error as an alert the field points at, and nothing when there is none", () => {
    expect(render()).not.toContain('role="alert"');
    expect(render()).not.toContain("aria-invalid");
    const html = render({ error: "No cohort has that join code." });
    const errorId = /<p id="([^"]+)"[^>]*role="alert">No cohort has that join code\.<\/p>/.exec(html)?.[1];
    expect(errorId).toBeTruthy();
    expect(html).toContain(`aria-describedby="${errorId}"`);
    expect(html).toContain('aria-invalid="true"');
  });

  it("puts the caller's note after the error", () => {
    const html = render({ error: "Try again." }, "You joined Platform team.");
    expect(html.indexOf("Try again.")).toBeLessThan(html.indexOf("You joined Platform team."));
    expect(html).toMatch(/You joined Platform team\.<\/form>$/);
  });
});
