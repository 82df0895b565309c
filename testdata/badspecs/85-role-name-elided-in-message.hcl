environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "data-task" {
    name = "lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-lakerunner-data-"
  }
}
