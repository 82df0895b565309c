environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "query-task" {
    statement {
      sid       = "ReadReports"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::reports/*"]
      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalTag/team"
        values   = []
      }
    }
  }
}
