environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  service "query-api" { task_role = "query-tasks" }
}
