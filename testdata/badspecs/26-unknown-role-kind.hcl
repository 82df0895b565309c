environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "data-tasks" {
    max_session_duration = 7200
  }
}
