# A role kind of our own: read-only access for auditors to the Lakerunner
# data lake. It is not part of the console guide; a spec loads it with
# templates_dir = "templates" (see examples/auditor.hcl), and the format is
# that of the built-in catalog (templates/README.md).
role "auditor" {
  summary     = "Read-only role for auditors: list and read the Lakerunner data lake buckets and their settings; every write to them is denied."
  name        = "${env.name_prefix}-auditor-role"
  description = "Allows auditors to read, never change, the Lakerunner data lake"

  # Auditors review every environment but developer sandboxes.
  enabled = !startswith(env.name, "dev")

  tags = {
    Component = "IAM"
    Type      = "AuditorRole"
  }

  # Our security team's audit role assumes it, in each account. IAM refuses a
  # trust policy that names a principal that does not exist, so name yours
  # here (an SSO role's ARN includes its path); a spec adds principals with
  # trusted_principal_arns in a role "auditor" block.
  input "auditor_principal_arns" {
    type        = list(string)
    description = "Exact ARNs of the IAM roles and users that may assume the auditor role."
    value       = ["arn:${env.partition}:iam::${env.account_id}:role/security-audit"]
    validation {
      condition     = length(var.auditor_principal_arns) > 0 && alltrue([for a in var.auditor_principal_arns : can(regex("^arn:[^:]+:iam::\\d{12}:(role|user)/[^*?]+$", a))])
      error_message = "Name at least one principal, by its exact role or user ARN: IAM allows no wildcard in a principal."
    }
  }

  input "s3_buckets" {
    type        = list(string)
    description = "Names or name patterns of the S3 buckets the auditors may read."
    value       = env.resources.s3_buckets
  }

  trust {
    statement {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = var.auditor_principal_arns
      }
    }
  }

  policy {
    name = "${env.name_prefix}-auditor-read"

    statement {
      sid = "ReadBuckets"
      actions = [
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:GetBucketLocation",
        "s3:GetBucketVersioning",
        "s3:GetBucketPolicy",
        "s3:GetBucketTagging",
        "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration",
      ]
      resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${b}"]
    }

    statement {
      sid = "ReadObjects"
      actions = [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:GetObjectTagging",
      ]
      resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${b}/*"]
    }

    # Read-only whatever else the role is given later: a managed policy
    # attached in the spec cannot grant writes to the data lake.
    statement {
      sid    = "DenyWrites"
      effect = "Deny"
      actions = [
        "s3:Put*",
        "s3:Delete*",
        "s3:Replicate*",
        "s3:RestoreObject",
        "s3:AbortMultipartUpload",
      ]
      resources = flatten([for b in var.s3_buckets : ["arn:${var.partition}:s3:::${b}", "arn:${var.partition}:s3:::${b}/*"]])
    }
  }
}
