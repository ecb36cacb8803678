/**
 * The Pulumi program (package.json `main`, compiled to dist/infra/7-program/program.js). Pulumi calls the
 * exported function and takes what it returns as the stack's outputs. The Node.js check comes first, before
 * the SDK loads (an older Node fails inside it with a less helpful message).
 */
import { assertNodeVersion } from "./node-version";
assertNodeVersion();
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../2-manifest/project-root";
import { defineProgram } from "./programs";

export = () =>
  defineProgram({
    root: projectRoot(),
    stack: pulumi.getStack(),
    engineSettings: new pulumi.Config("muni").getObject<unknown>("settings"),
  });
