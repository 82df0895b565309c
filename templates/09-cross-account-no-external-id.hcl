# The cross-account role of a cross_account block without external_id: the
# same role as cross-account (same name), whose trust requires no
# sts:ExternalId. For principals that cannot send one (Lakerunner sends
# none); lint warns (LR009) when it trusts whole accounts.
role "cross-account-no-external-id" {
  summary     = "Role that trusted principals of other AWS accounts assume, without an ExternalId and optionally with MFA, to read the Lakerunner data lake."
  name        = "${env.name_prefix}-cross-account-role"
  description = "Allows trusted principals in other AWS accounts to read Lakerunner data"
  enabled     = env.cross_account != null ? env.cross_account.external_id == "" : false
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
}
