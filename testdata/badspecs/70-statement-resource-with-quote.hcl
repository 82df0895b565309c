environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "data-task" {
    statement {
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::lakerunner-config/'reports'/*"]
    }
  }
}
