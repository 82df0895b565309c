environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  tags = {
    Team = "platform"
  }

  # The role gets the environment's tags too: "team" and "Team" clash.
  role "data-task" {
    tags = {
      team = "data"
    }
  }
}
