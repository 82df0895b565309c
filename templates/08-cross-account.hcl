# The role principals of other accounts assume to reach Lakerunner's data.
# Console guide: "Cross-Account Access (If Needed)". The guide leaves its
# permissions to "appropriate policies": the catalog grants read access to
# the data lake buckets; add statements or managed policies in the spec for
# more.
role "cross-account" {
  summary     = "Role that trusted principals of other AWS accounts assume, with an ExternalId and optionally MFA, to read the Lakerunner data lake."
  name        = "${env.name_prefix}-cross-account-role"
  description = "Allows trusted principals in other AWS accounts to read Lakerunner data"
  # Without an external_id, cross-account-no-external-id takes its place.
  enabled = env.cross_account != null ? env.cross_account.external_id != "" : false
  tags = {
    Component = "IAM"
    Type      = "CrossAccountRole"
  }

  input "trusted_account_ids" {
    type        = list(string)
    description = "AWS accounts whose principals may assume the role (their root principal: the account's IAM policies decide who)."
    value       = env.cross_account.trusted_account_ids
  }

  input "trusted_role_arns" {
    type        = list(string)
    description = "Exact IAM principal ARNs of other accounts that may assume the role."
    value       = env.cross_account.trusted_principal_arns
  }

  input "external_id" {
    type        = string
    description = "The sts:ExternalId the other account must present."
    value       = env.cross_account.external_id
    validation {
      condition     = length(var.external_id) >= 2 && length(var.external_id) <= 1224
      error_message = "An ExternalId has 2 to 1224 characters."
    }
  }

  input "require_mfa" {
    type        = bool
    description = "Require that the caller authenticated with MFA (aws:MultiFactorAuthPresent)."
    value       = env.cross_account.require_mfa
  }

  input "s3_buckets" {
    type        = list(string)
    description = "Names or name patterns of the S3 buckets the other account may read."
    value       = env.resources.s3_buckets
  }

  trust {
    statement {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = concat([for a in var.trusted_account_ids : "arn:${var.partition}:iam::${a}:root"], var.trusted_role_arns)
      }
      condition {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [var.external_id]
      }
      condition {
        enabled  = var.require_mfa
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["true"]
      }
    }
  }

  policy {
    name = "${env.name_prefix}-cross-account-read"

    statement {
      sid = "S3ReadAccess"
      actions = [
        "s3:GetObject",
        "s3:ListBucket",
        "s3:GetBucketLocation",
      ]
      resources = flatten([for b in var.s3_buckets : ["arn:${var.partition}:s3:::${b}", "arn:${var.partition}:s3:::${b}/*"]])
    }
  }

  # Expectations (lakerunner-iam test): the other account reads, and only
  # reads, the data lake.
  expect "lists-bucket" {
    effect    = "allow"
    actions   = ["s3:ListBucket"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}"]
  }

  expect "reads-objects" {
    effect    = "allow"
    actions   = ["s3:GetObject"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}/expect/object"]
  }

  expect "only-reads-objects" {
    effect    = "deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}/expect/object"]
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
