environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "query-task" {
    max_session_duration = 86400
  }
}
