environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "data-task" {
    max_session_duration = 7200
  }

  role "data-task" {
    tags = { Team = "data" }
  }
}
