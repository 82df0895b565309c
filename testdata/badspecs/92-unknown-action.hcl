environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "data-task" {
    statement {
      sid       = "ReadArchive"
      actions   = ["s3:GetObjekt"]
      resources = ["arn:aws:s3:::lakerunner-archive/*"]
    }
  }
}
