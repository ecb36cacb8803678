/**
 * The Pulumi program (package.json `main`, compiled to dist/infra/7-program/program.js). Pulumi calls the exported
 * function and takes what it returns as the stack's outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "../2-manifest/project-root";
import { defineStack } from "./stack";

export = () =>
  defineStack({
    root: projectRoot(),
    stack: pulumi.getStack(),
    settings: new pulumi.Config("muni").requireObject<unknown>("settings"),
  });
