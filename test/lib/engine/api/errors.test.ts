import { describe, expect, it } from "vitest";
import {
  ConflictError, InvalidError, NotFoundError, OBJECT_MODIFIED, alreadyExistsError, badRequestError, conflictError, fieldPath,
  forbiddenError, invalidError, kubectlErrorText, methodNotAllowedError, notFoundError,
} from "@/lib/engine/api";
import { invalid, required } from "@/lib/engine/api/validation/field";

const pods = { group: "", resource: "pods" };
const deployments = { group: "apps", resource: "deployments" };

describe("api errors", () => {
  const cases: [string, Error & { status: { reason: string; code: number; message: string } }, string, number, string][] = [
    ["not found", notFoundError(pods, "x"), "NotFound", 404, 'pods "x" not found'],
    ["not found in a group", notFoundError(deployments, "web"), "NotFound", 404, 'deployments.apps "web" not found'],
    ["already exists", alreadyExistsError(pods, "x"), "AlreadyExists", 409, 'pods "x" already exists'],
    ["conflict", conflictError(pods, "x", OBJECT_MODIFIED), "Conflict", 409,
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again'],
    ["forbidden", forbiddenError(pods, "x", "unable to create new content in namespace dev because it is being terminated"), "Forbidden", 403,
      'pods "x" is forbidden: unable to create new content in namespace dev because it is being terminated'],
    ["bad request", badRequestError("field label not supported: foo"), "BadRequest", 400, "field label not supported: foo"],
    ["method not allowed", methodNotAllowedError(pods, "deletecollection"), "MethodNotAllowed", 405, 'deletecollection is not supported on resources of kind "pods"'],
  ];
  it.each(cases)("%s", (_name, err, reason, code, message) => {
    expect(err.status.reason).toBe(reason);
    expect(err.status.code).toBe(code);
    expect(err.message).toBe(message);
  });

  it("carries one class per reason", () => {
    expect(notFoundError(pods, "x")).toBeInstanceOf(NotFoundError);
    expect(conflictError(pods, "x", "r")).toBeInstanceOf(ConflictError);
  });

  it("words Invalid like the apiserver and like kubectl", () => {
    const one = invalidError({ group: "", kind: "Service" }, "web", [
      invalid(fieldPath("spec", "ports").index(0).child("nodePort"), 40000,
        "provided port is not in the valid range. The range of valid ports is 30000-32767"),
    ]);
    expect(one).toBeInstanceOf(InvalidError);
    expect(one.status.code).toBe(422);
    expect(one.message).toBe(
      'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    expect(kubectlErrorText(one)).toBe(
      'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    const two = invalidError({ group: "apps", kind: "Deployment" }, "d", [
      required(fieldPath("spec", "selector")),
      required(fieldPath("spec", "template", "spec", "containers")),
    ]);
    expect(two.message).toBe('Deployment.apps "d" is invalid: [spec.selector: Required value, spec.template.spec.containers: Required value]');
    expect(two.status.details?.causes).toEqual([
      { reason: "FieldValueRequired", message: "Required value", field: "spec.selector" },
      { reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers" },
    ]);
    expect(kubectlErrorText(two)).toBe(
      'The Deployment "d" is invalid: \n* spec.selector: Required value\n* spec.template.spec.containers: Required value',
    );
  });

  it("prefixes other reasons as kubectl does", () => {
    expect(kubectlErrorText(notFoundError(pods, "x"))).toBe('Error from server (NotFound): pods "x" not found');
  });
});
