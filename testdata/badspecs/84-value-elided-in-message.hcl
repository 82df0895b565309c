environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  resources {
    s3_buckets = ["Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-Lakerunner-"]
  }
}
