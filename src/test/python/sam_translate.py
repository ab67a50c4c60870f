"""Transforms template.yaml offline with AWS's SAM translator (what `sam validate` and `sam deploy` run) and prints
the CloudFormation template it produces as JSON.

usage: python3 sam_translate.py TEMPLATE [Name=Value ...]

The translator needs no AWS account for this template: CodeUri is replaced with an S3 location (what `sam package`
does after uploading target/function.zip), the region comes from AWS_DEFAULT_REGION (eu-west-1 if unset), and every
policy is inline, so no managed policy ARN has to be looked up in IAM.
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")

from cfnlint.decode import decode  # noqa: E402  (reads CloudFormation's short tags such as !Ref)
from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.transform import transform  # noqa: E402


class NoManagedPolicies:
    """The template names no managed policy by name: a lookup would be a mistake, not a network call to make."""

    def load(self):
        return {}


def main():
    template, matches = decode(sys.argv[1])
    if matches:
        for match in matches:
            print(match, file=sys.stderr)
        return 2
    parameters = dict(arg.split("=", 1) for arg in sys.argv[2:])
    code = template.setdefault("Globals", {}).setdefault("Function", {})
    if "CodeUri" in code:
        code["CodeUri"] = "s3://deployment-bucket/function.zip"
    try:
        translated = transform(template, parameters, NoManagedPolicies())
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(cause.message, file=sys.stderr)
        return 1
    json.dump(translated, sys.stdout, indent=1, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
