# A spec with a role kind of the team's own: the read-only auditor role of
# examples/templates/auditor.hcl, next to the built-in roles. templates_dir
# is relative to this file; a template there with the kind of a built-in
# role ("data-task") would replace it.

templates_dir = "templates"

environment "production" {
  account_id = "666666666666"
  region     = "us-east-2"

  resources {
    s3_buckets = ["lakerunner-666666666666-us-east-2"]
    sqs_queues = ["lakerunner-ingest"]
  }

  # A custom kind takes the same per-role settings as a built-in one.
  role "auditor" {
    max_session_duration = 14400
    tags = {
      Compliance = "sox"
    }
  }
}
